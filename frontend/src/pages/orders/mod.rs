//! Orders (ADMIN, CUSTOMER_SERVICE, REVIEWER, FINANCE): the filtered, paged list of every
//! channel's orders and each order's page, both kept current by the `orderStatusChanged`
//! subscription.

mod detail;
mod filter;
mod list;

pub use detail::OrderDetailPage;
pub use list::OrdersPage;

use crate::api::types::OrderRow;

/// Puts rows just read from the top of the list into the rows shown, newest first (the server
/// orders by id, and ids are time-ordered UUIDv7s, so their text sorts the same way). Known
/// rows are replaced in place. A new row is added when it falls within what is loaded — newer
/// than the oldest row shown, or anywhere once every page is loaded; older ones come with the
/// next page. Returns how many rows were added.
fn merge_rows(list: &mut Vec<OrderRow>, fresh: Vec<OrderRow>, complete: bool) -> usize {
    // What is loaded ends at the oldest row shown before the merge.
    let oldest = list.last().map(|r| r.id.clone());
    let mut added = 0;
    for row in fresh {
        if let Some(slot) = list.iter_mut().find(|r| r.id == row.id) {
            *slot = row;
            continue;
        }
        let within = complete || oldest.as_ref().is_none_or(|oldest| row.id > *oldest);
        if within {
            let at = list.partition_point(|r| r.id > row.id);
            list.insert(at, row);
            added += 1;
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{Customer, Money};
    use orderly_shared::{OrderStatus, PaymentStatus};

    fn row(id: &str, status: OrderStatus) -> OrderRow {
        OrderRow {
            id: id.into(),
            number: format!("OR-{id}"),
            status,
            payment_status: PaymentStatus::Unpaid,
            channel: "demo-store".into(),
            total: Money {
                amount: "1.00".into(),
                currency: "CNY".into(),
            },
            customer: Customer {
                name: "Li Lei".into(),
                email: "li@example.com".into(),
                phone: String::new(),
            },
            created_at: String::new(),
        }
    }

    fn ids(list: &[OrderRow]) -> Vec<&str> {
        list.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn new_rows_go_on_top_and_known_rows_are_updated_in_place() {
        let mut list = vec![
            row("05", OrderStatus::PendingPayment),
            row("03", OrderStatus::PendingPayment),
        ];
        let fresh = vec![
            row("07", OrderStatus::PendingPayment),
            row("05", OrderStatus::Confirmed),
            row("03", OrderStatus::PendingPayment),
        ];
        assert_eq!(merge_rows(&mut list, fresh, false), 1);
        assert_eq!(ids(&list), ["07", "05", "03"]);
        assert_eq!(list[1].status, OrderStatus::Confirmed);
    }

    #[test]
    fn rows_older_than_what_is_loaded_wait_for_the_next_page() {
        let mut list = vec![
            row("09", OrderStatus::Confirmed),
            row("06", OrderStatus::Confirmed),
        ];
        // 07 newly matches the filter: it belongs between the loaded rows. 02 is beyond them.
        let fresh = vec![
            row("07", OrderStatus::OnHold),
            row("02", OrderStatus::OnHold),
        ];
        assert_eq!(merge_rows(&mut list.clone(), fresh.clone(), true), 2);
        assert_eq!(merge_rows(&mut list, fresh, false), 1);
        assert_eq!(ids(&list), ["09", "07", "06"]);
    }

    #[test]
    fn an_empty_list_takes_every_row() {
        let mut list = Vec::new();
        let fresh = vec![
            row("2", OrderStatus::Confirmed),
            row("1", OrderStatus::Confirmed),
        ];
        assert_eq!(merge_rows(&mut list, fresh, false), 2);
        assert_eq!(ids(&list), ["2", "1"]);
    }
}
