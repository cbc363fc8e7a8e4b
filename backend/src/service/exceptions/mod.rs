//! Delivery exceptions as customer-service work: a carrier's EXCEPTION event (or the scheduled
//! SLA check) opens a task for the parcel; agents record their contacts with the customer and
//! the carrier and close it with an outcome: re-delivery (maybe to a corrected address), return
//! to sender, or a refund through finance.

pub mod open;
pub mod query;
pub mod work;

use crate::db::entity::exception_task;
use crate::realtime::{QueueEvent, WorkQueue};
use chrono::Utc;

/// The exceptions queue's live event for a task.
pub fn queue_event(t: &exception_task::Model, order_number: &str, kind: &str) -> QueueEvent {
    QueueEvent {
        queue: WorkQueue::Exceptions,
        item_id: t.id,
        order_id: t.order_id,
        order_number: order_number.to_string(),
        kind: kind.to_string(),
        at: Utc::now(),
    }
}
