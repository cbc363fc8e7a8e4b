//! The order state machine (SPEC §3): which command may move an order from which status to
//! which. Every legal transition is one arm of one `match`, so the whole life of an order can be
//! read in one place, and everything not listed is refused with a sentence saying why.

use std::fmt;

use orderly_shared::{HoldReasonCode, OrderStatus, PaymentMethod};

/// Why an order waits for a person: a contract code plus a message that carries the numbers
/// (e.g. "COD order of 3200.00 CNY is above the 2000.00 CNY limit").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldReason {
    /// What kind of check held the order.
    pub code: HoldReasonCode,
    /// A sentence for the reviewer.
    pub message: String,
}

impl HoldReason {
    /// A hold reason with its message.
    pub fn new(code: HoldReasonCode, message: impl Into<String>) -> HoldReason {
        HoldReason {
            code,
            message: message.into(),
        }
    }
}

/// Something that happens to an order. Commands that need a justification carry it, and an empty
/// one is refused: every hold, rejection and cancellation says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderCommand {
    /// The payment gateway confirmed the payment.
    ConfirmPayment,
    /// Hold the order for a person; on an order already on hold this adds reasons.
    Hold {
        /// At least one reason.
        reasons: Vec<HoldReason>,
    },
    /// A reviewer (or the automatic review) approved the order.
    Approve,
    /// A reviewer rejected the order; it ends cancelled.
    Reject {
        /// Why, for the timeline and the customer.
        reason: String,
    },
    /// Stock was reserved for every line.
    Allocate,
    /// Stock is short; the order waits for it.
    Backorder,
    /// The warehouse started picking.
    StartFulfillment,
    /// Some, not all, shipments left the warehouse.
    ShipPart,
    /// The last shipment left the warehouse.
    ShipAll,
    /// The carrier delivered everything.
    ConfirmDelivery,
    /// The customer confirmed receipt, or the auto-confirm period passed.
    Complete,
    /// Cancel before anything shipped.
    Cancel {
        /// Why, for the timeline and the customer.
        reason: String,
    },
    /// Never paid within the payment window.
    Expire,
}

/// The kind of an [`OrderCommand`] without its data: what errors, events and logs name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// [`OrderCommand::ConfirmPayment`].
    ConfirmPayment,
    /// [`OrderCommand::Hold`].
    Hold,
    /// [`OrderCommand::Approve`].
    Approve,
    /// [`OrderCommand::Reject`].
    Reject,
    /// [`OrderCommand::Allocate`].
    Allocate,
    /// [`OrderCommand::Backorder`].
    Backorder,
    /// [`OrderCommand::StartFulfillment`].
    StartFulfillment,
    /// [`OrderCommand::ShipPart`].
    ShipPart,
    /// [`OrderCommand::ShipAll`].
    ShipAll,
    /// [`OrderCommand::ConfirmDelivery`].
    ConfirmDelivery,
    /// [`OrderCommand::Complete`].
    Complete,
    /// [`OrderCommand::Cancel`].
    Cancel,
    /// [`OrderCommand::Expire`].
    Expire,
}

impl CommandKind {
    /// Every command kind.
    pub const ALL: &'static [CommandKind] = &[
        CommandKind::ConfirmPayment,
        CommandKind::Hold,
        CommandKind::Approve,
        CommandKind::Reject,
        CommandKind::Allocate,
        CommandKind::Backorder,
        CommandKind::StartFulfillment,
        CommandKind::ShipPart,
        CommandKind::ShipAll,
        CommandKind::ConfirmDelivery,
        CommandKind::Complete,
        CommandKind::Cancel,
        CommandKind::Expire,
    ];

    /// A stable SCREAMING_SNAKE name, e.g. `CONFIRM_PAYMENT`.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandKind::ConfirmPayment => "CONFIRM_PAYMENT",
            CommandKind::Hold => "HOLD",
            CommandKind::Approve => "APPROVE",
            CommandKind::Reject => "REJECT",
            CommandKind::Allocate => "ALLOCATE",
            CommandKind::Backorder => "BACKORDER",
            CommandKind::StartFulfillment => "START_FULFILLMENT",
            CommandKind::ShipPart => "SHIP_PART",
            CommandKind::ShipAll => "SHIP_ALL",
            CommandKind::ConfirmDelivery => "CONFIRM_DELIVERY",
            CommandKind::Complete => "COMPLETE",
            CommandKind::Cancel => "CANCEL",
            CommandKind::Expire => "EXPIRE",
        }
    }

    /// What the command does to an order, to finish "an order that is X cannot …".
    fn action(self) -> &'static str {
        match self {
            CommandKind::ConfirmPayment => "have its payment confirmed",
            CommandKind::Hold => "be put on hold",
            CommandKind::Approve => "be approved",
            CommandKind::Reject => "be rejected",
            CommandKind::Allocate => "be allocated",
            CommandKind::Backorder => "be backordered",
            CommandKind::StartFulfillment => "start fulfillment",
            CommandKind::ShipPart => "be partially shipped",
            CommandKind::ShipAll => "be shipped",
            CommandKind::ConfirmDelivery => "be marked delivered",
            CommandKind::Complete => "be completed",
            CommandKind::Cancel => "be cancelled",
            CommandKind::Expire => "expire",
        }
    }

    /// What must be given for the command, to finish "… needs …".
    fn justification(self) -> &'static str {
        match self {
            CommandKind::Hold => "at least one reason with a message",
            _ => "a reason",
        }
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl OrderCommand {
    /// The command's kind, without its data.
    pub fn kind(&self) -> CommandKind {
        match self {
            OrderCommand::ConfirmPayment => CommandKind::ConfirmPayment,
            OrderCommand::Hold { .. } => CommandKind::Hold,
            OrderCommand::Approve => CommandKind::Approve,
            OrderCommand::Reject { .. } => CommandKind::Reject,
            OrderCommand::Allocate => CommandKind::Allocate,
            OrderCommand::Backorder => CommandKind::Backorder,
            OrderCommand::StartFulfillment => CommandKind::StartFulfillment,
            OrderCommand::ShipPart => CommandKind::ShipPart,
            OrderCommand::ShipAll => CommandKind::ShipAll,
            OrderCommand::ConfirmDelivery => CommandKind::ConfirmDelivery,
            OrderCommand::Complete => CommandKind::Complete,
            OrderCommand::Cancel { .. } => CommandKind::Cancel,
            OrderCommand::Expire => CommandKind::Expire,
        }
    }

    /// Whether the command carries the justification it needs (non-blank).
    fn is_justified(&self) -> bool {
        match self {
            OrderCommand::Hold { reasons } => {
                !reasons.is_empty() && reasons.iter().all(|r| !r.message.trim().is_empty())
            }
            OrderCommand::Reject { reason } | OrderCommand::Cancel { reason } => {
                !reason.trim().is_empty()
            }
            _ => true,
        }
    }
}

/// A command the order cannot take. The service maps both variants to `INVALID_TRANSITION`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The command does not apply to an order in this status.
    #[error("an order that is {from} cannot {}", .command.action())]
    NotAllowed {
        /// The order's current status.
        from: OrderStatus,
        /// What was asked.
        command: CommandKind,
    },
    /// The command would apply, but came without the reason it needs.
    #[error("{command} of an order that is {from} needs {}", .command.justification())]
    ReasonRequired {
        /// The order's current status.
        from: OrderStatus,
        /// What was asked.
        command: CommandKind,
    },
}

impl TransitionError {
    /// The status the order was in.
    pub fn from_status(&self) -> OrderStatus {
        match self {
            TransitionError::NotAllowed { from, .. }
            | TransitionError::ReasonRequired { from, .. } => *from,
        }
    }

    /// The command that was refused.
    pub fn command(&self) -> CommandKind {
        match self {
            TransitionError::NotAllowed { command, .. }
            | TransitionError::ReasonRequired { command, .. } => *command,
        }
    }
}

/// The status a new order starts in: prepaid orders wait for the payment gateway, cash-on-delivery
/// orders skip payment and go straight to review (SPEC §2.1).
pub fn initial_status(method: PaymentMethod) -> OrderStatus {
    match method {
        PaymentMethod::Prepaid => OrderStatus::PendingPayment,
        PaymentMethod::CashOnDelivery => OrderStatus::Confirmed,
    }
}

/// The status an order in `status` moves to when `command` happens, or why it cannot.
///
/// Legality is decided first, then the command's justification: asking to cancel a shipped order
/// is refused as not allowed whatever the reason given.
pub fn decide(status: OrderStatus, command: &OrderCommand) -> Result<OrderStatus, TransitionError> {
    use CommandKind as C;
    use OrderStatus as S;
    let kind = command.kind();
    let next = match (status, kind) {
        (S::PendingPayment, C::ConfirmPayment) => S::Confirmed,
        // A payment that does not match the order holds it before confirmation.
        (S::PendingPayment | S::Confirmed | S::OnHold, C::Hold) => S::OnHold,
        // Approved, but stock is short and the merchant wants a person to decide.
        (S::Approved, C::Hold) => S::OnHold,
        (S::PendingPayment, C::Expire) => S::Expired,
        (S::Confirmed | S::OnHold, C::Approve) => S::Approved,
        (S::Confirmed | S::OnHold, C::Reject) => S::Cancelled,
        (S::Approved, C::Allocate) | (S::Backordered, C::Allocate) => S::Allocated,
        (S::Approved, C::Backorder) => S::Backordered,
        (S::Allocated, C::StartFulfillment) => S::InFulfillment,
        (S::InFulfillment | S::PartiallyShipped, C::ShipPart) => S::PartiallyShipped,
        (S::InFulfillment | S::PartiallyShipped, C::ShipAll) => S::Shipped,
        (S::Shipped, C::ConfirmDelivery) => S::Delivered,
        (S::Delivered, C::Complete) => S::Completed,
        // Nothing has left the warehouse yet: stock is released, payment refunded.
        (
            S::PendingPayment
            | S::Confirmed
            | S::OnHold
            | S::Approved
            | S::Backordered
            | S::Allocated
            | S::InFulfillment,
            C::Cancel,
        ) => S::Cancelled,
        _ => {
            return Err(TransitionError::NotAllowed {
                from: status,
                command: kind,
            });
        }
    };
    if !command.is_justified() {
        return Err(TransitionError::ReasonRequired {
            from: status,
            command: kind,
        });
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use CommandKind as C;
    use OrderStatus as S;

    /// Every legal transition, written out independently of `decide`.
    const LEGAL: &[(OrderStatus, CommandKind, OrderStatus)] = &[
        (S::PendingPayment, C::ConfirmPayment, S::Confirmed),
        (S::PendingPayment, C::Hold, S::OnHold),
        (S::PendingPayment, C::Expire, S::Expired),
        (S::PendingPayment, C::Cancel, S::Cancelled),
        (S::Confirmed, C::Hold, S::OnHold),
        (S::Confirmed, C::Approve, S::Approved),
        (S::Confirmed, C::Reject, S::Cancelled),
        (S::Confirmed, C::Cancel, S::Cancelled),
        (S::OnHold, C::Hold, S::OnHold),
        (S::OnHold, C::Approve, S::Approved),
        (S::OnHold, C::Reject, S::Cancelled),
        (S::OnHold, C::Cancel, S::Cancelled),
        (S::Approved, C::Hold, S::OnHold),
        (S::Approved, C::Allocate, S::Allocated),
        (S::Approved, C::Backorder, S::Backordered),
        (S::Approved, C::Cancel, S::Cancelled),
        (S::Backordered, C::Allocate, S::Allocated),
        (S::Backordered, C::Cancel, S::Cancelled),
        (S::Allocated, C::StartFulfillment, S::InFulfillment),
        (S::Allocated, C::Cancel, S::Cancelled),
        (S::InFulfillment, C::ShipPart, S::PartiallyShipped),
        (S::InFulfillment, C::ShipAll, S::Shipped),
        (S::InFulfillment, C::Cancel, S::Cancelled),
        (S::PartiallyShipped, C::ShipPart, S::PartiallyShipped),
        (S::PartiallyShipped, C::ShipAll, S::Shipped),
        (S::Shipped, C::ConfirmDelivery, S::Delivered),
        (S::Delivered, C::Complete, S::Completed),
    ];

    fn sample(kind: CommandKind) -> OrderCommand {
        match kind {
            C::ConfirmPayment => OrderCommand::ConfirmPayment,
            C::Hold => OrderCommand::Hold {
                reasons: vec![HoldReason::new(
                    HoldReasonCode::RiskHighValue,
                    "order of 12000.00 CNY is above the 10000.00 CNY review threshold",
                )],
            },
            C::Approve => OrderCommand::Approve,
            C::Reject => OrderCommand::Reject {
                reason: "fraud suspected".into(),
            },
            C::Allocate => OrderCommand::Allocate,
            C::Backorder => OrderCommand::Backorder,
            C::StartFulfillment => OrderCommand::StartFulfillment,
            C::ShipPart => OrderCommand::ShipPart,
            C::ShipAll => OrderCommand::ShipAll,
            C::ConfirmDelivery => OrderCommand::ConfirmDelivery,
            C::Complete => OrderCommand::Complete,
            C::Cancel => OrderCommand::Cancel {
                reason: "customer changed their mind".into(),
            },
            C::Expire => OrderCommand::Expire,
        }
    }

    #[test]
    fn every_status_and_command_pair_is_decided_exactly_as_the_table_says() {
        let legal: HashMap<(OrderStatus, CommandKind), OrderStatus> = LEGAL
            .iter()
            .map(|(from, cmd, to)| ((*from, *cmd), *to))
            .collect();
        assert_eq!(legal.len(), LEGAL.len(), "the table lists a pair twice");
        let mut checked = 0;
        for status in OrderStatus::ALL {
            for kind in CommandKind::ALL {
                let command = sample(*kind);
                assert_eq!(command.kind(), *kind);
                let expected = match legal.get(&(*status, *kind)) {
                    Some(to) => Ok(*to),
                    None => Err(TransitionError::NotAllowed {
                        from: *status,
                        command: *kind,
                    }),
                };
                assert_eq!(decide(*status, &command), expected, "{status} × {kind}");
                checked += 1;
            }
        }
        assert_eq!(checked, 13 * 13);
    }

    #[test]
    fn prepaid_orders_wait_for_payment_and_cash_on_delivery_orders_go_to_review() {
        assert_eq!(initial_status(PaymentMethod::Prepaid), S::PendingPayment);
        assert_eq!(initial_status(PaymentMethod::CashOnDelivery), S::Confirmed);
    }

    #[test]
    fn terminal_statuses_accept_no_command() {
        for status in [S::Completed, S::Cancelled, S::Expired] {
            for kind in CommandKind::ALL {
                assert!(decide(status, &sample(*kind)).is_err(), "{status} × {kind}");
            }
        }
    }

    #[test]
    fn refusals_say_what_the_order_is_and_what_it_cannot_do() {
        let cancel = sample(C::Cancel);
        assert_eq!(
            decide(S::Shipped, &cancel).unwrap_err().to_string(),
            "an order that is SHIPPED cannot be cancelled"
        );
        assert_eq!(
            decide(S::PartiallyShipped, &cancel)
                .unwrap_err()
                .to_string(),
            "an order that is PARTIALLY_SHIPPED cannot be cancelled"
        );
        assert_eq!(
            decide(S::Confirmed, &OrderCommand::Expire)
                .unwrap_err()
                .to_string(),
            "an order that is CONFIRMED cannot expire"
        );
        let err = decide(S::Delivered, &OrderCommand::ConfirmPayment).unwrap_err();
        assert_eq!(
            err.to_string(),
            "an order that is DELIVERED cannot have its payment confirmed"
        );
        assert_eq!(err.from_status(), S::Delivered);
        assert_eq!(err.command(), C::ConfirmPayment);
    }

    #[test]
    fn holds_rejections_and_cancellations_without_a_reason_are_refused() {
        #[rustfmt::skip]
        let cases = [
            (S::Confirmed, OrderCommand::Hold { reasons: vec![] }),
            (
                S::OnHold,
                OrderCommand::Hold {
                    reasons: vec![HoldReason::new(HoldReasonCode::SpecialRequest, "  ")],
                },
            ),
            (S::OnHold, OrderCommand::Reject { reason: "".into() }),
            (
                S::Approved,
                OrderCommand::Cancel {
                    reason: " \n ".into(),
                },
            ),
        ];
        for (status, command) in cases {
            assert_eq!(
                decide(status, &command),
                Err(TransitionError::ReasonRequired {
                    from: status,
                    command: command.kind()
                }),
                "{command:?}"
            );
        }
        assert_eq!(
            decide(S::Approved, &OrderCommand::Cancel { reason: "".into() })
                .unwrap_err()
                .to_string(),
            "CANCEL of an order that is APPROVED needs a reason"
        );
        assert_eq!(
            decide(S::Confirmed, &OrderCommand::Hold { reasons: vec![] })
                .unwrap_err()
                .to_string(),
            "HOLD of an order that is CONFIRMED needs at least one reason with a message"
        );
    }

    #[test]
    fn an_illegal_command_is_refused_as_not_allowed_even_without_a_reason() {
        assert_eq!(
            decide(S::Shipped, &OrderCommand::Cancel { reason: "".into() }),
            Err(TransitionError::NotAllowed {
                from: S::Shipped,
                command: C::Cancel
            })
        );
    }

    #[test]
    fn an_order_can_walk_the_happy_path_from_payment_to_completion() {
        let steps = [
            C::ConfirmPayment,
            C::Hold,
            C::Hold,
            C::Approve,
            C::Backorder,
            C::Allocate,
            C::StartFulfillment,
            C::ShipPart,
            C::ShipPart,
            C::ShipAll,
            C::ConfirmDelivery,
            C::Complete,
        ];
        let end = steps.iter().try_fold(S::PendingPayment, |status, kind| {
            decide(status, &sample(*kind))
        });
        assert_eq!(end, Ok(S::Completed));
    }

    #[test]
    fn command_names_are_unique_screaming_snake() {
        let mut names: Vec<&str> = CommandKind::ALL.iter().map(|k| k.as_str()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        );
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CommandKind::ALL.len());
    }
}
