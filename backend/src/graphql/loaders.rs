//! DataLoaders: every relation resolved in batches, one query per relation per request.
//! They are created per request, so nothing is cached across requests.

use crate::db::entity::{
    after_sales_case, after_sales_case_line, channel, cod_remittance_line, exception_contact,
    order, order_event, order_line, order_rating, payment, pick_task, pick_task_part, refund,
    shipment, shipment_line, user_role, user_warehouse, warehouse, webhook_attempt,
};
use async_graphql::dataloader::{DataLoader, Loader};
use orderly_shared::Role;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

pub struct Loaders {
    pub roles: DataLoader<RolesLoader>,
    pub warehouse_codes: DataLoader<WarehouseCodesLoader>,
    pub channels: DataLoader<ChannelLoader>,
    pub order_lines: DataLoader<OrderLinesLoader>,
    pub order_events: DataLoader<OrderEventsLoader>,
    pub payments: DataLoader<PaymentsLoader>,
    pub shipments: DataLoader<ShipmentsLoader>,
    pub shipment_lines: DataLoader<ShipmentLinesLoader>,
    pub warehouses: DataLoader<WarehouseLoader>,
    pub order_briefs: DataLoader<OrderBriefLoader>,
    pub wave_tasks: DataLoader<WaveTasksLoader>,
    pub wave_shipments: DataLoader<WaveShipmentsLoader>,
    pub task_parts: DataLoader<TaskPartsLoader>,
    pub orders: DataLoader<OrdersLoader>,
    pub refunds: DataLoader<RefundsLoader>,
    pub ratings: DataLoader<RatingsLoader>,
    pub shipments_by_id: DataLoader<ShipmentByIdLoader>,
    pub exception_contacts: DataLoader<ExceptionContactsLoader>,
    pub case_lines: DataLoader<CaseLinesLoader>,
    pub order_cases: DataLoader<OrderCasesLoader>,
    pub refunds_by_id: DataLoader<RefundByIdLoader>,
    pub webhook_attempts: DataLoader<WebhookAttemptsLoader>,
    pub remittance_lines: DataLoader<RemittanceLinesLoader>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Loaders {
        Loaders {
            roles: DataLoader::new(RolesLoader(db.clone()), tokio::spawn),
            warehouse_codes: DataLoader::new(WarehouseCodesLoader(db.clone()), tokio::spawn),
            channels: DataLoader::new(ChannelLoader(db.clone()), tokio::spawn),
            order_lines: DataLoader::new(OrderLinesLoader(db.clone()), tokio::spawn),
            order_events: DataLoader::new(OrderEventsLoader(db.clone()), tokio::spawn),
            payments: DataLoader::new(PaymentsLoader(db.clone()), tokio::spawn),
            shipments: DataLoader::new(ShipmentsLoader(db.clone()), tokio::spawn),
            shipment_lines: DataLoader::new(ShipmentLinesLoader(db.clone()), tokio::spawn),
            warehouses: DataLoader::new(WarehouseLoader(db.clone()), tokio::spawn),
            order_briefs: DataLoader::new(OrderBriefLoader(db.clone()), tokio::spawn),
            wave_tasks: DataLoader::new(WaveTasksLoader(db.clone()), tokio::spawn),
            wave_shipments: DataLoader::new(WaveShipmentsLoader(db.clone()), tokio::spawn),
            task_parts: DataLoader::new(TaskPartsLoader(db.clone()), tokio::spawn),
            orders: DataLoader::new(OrdersLoader(db.clone()), tokio::spawn),
            refunds: DataLoader::new(RefundsLoader(db.clone()), tokio::spawn),
            ratings: DataLoader::new(RatingsLoader(db.clone()), tokio::spawn),
            shipments_by_id: DataLoader::new(ShipmentByIdLoader(db.clone()), tokio::spawn),
            exception_contacts: DataLoader::new(ExceptionContactsLoader(db.clone()), tokio::spawn),
            case_lines: DataLoader::new(CaseLinesLoader(db.clone()), tokio::spawn),
            order_cases: DataLoader::new(OrderCasesLoader(db.clone()), tokio::spawn),
            refunds_by_id: DataLoader::new(RefundByIdLoader(db.clone()), tokio::spawn),
            webhook_attempts: DataLoader::new(WebhookAttemptsLoader(db.clone()), tokio::spawn),
            remittance_lines: DataLoader::new(RemittanceLinesLoader(db.clone()), tokio::spawn),
        }
    }
}

pub struct RolesLoader(DatabaseConnection);

impl Loader<Uuid> for RolesLoader {
    type Value = Vec<Role>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Role>>, Self::Error> {
        let rows = user_role::Entity::find()
            .filter(user_role::Column::UserId.is_in(keys.iter().copied()))
            .order_by_asc(user_role::Column::Role)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Vec<Role>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            map.entry(row.user_id).or_default().push(row.role);
        }
        for roles in map.values_mut() {
            roles.sort();
        }
        Ok(map)
    }
}

pub struct WarehouseCodesLoader(DatabaseConnection);

impl Loader<Uuid> for WarehouseCodesLoader {
    type Value = Vec<String>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, Self::Error> {
        let rows = user_warehouse::Entity::find()
            .filter(user_warehouse::Column::UserId.is_in(keys.iter().copied()))
            .order_by_asc(user_warehouse::Column::WarehouseCode)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Vec<String>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            map.entry(row.user_id).or_default().push(row.warehouse_code);
        }
        Ok(map)
    }
}

pub struct ChannelLoader(DatabaseConnection);

impl Loader<Uuid> for ChannelLoader {
    type Value = channel::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, channel::Model>, Self::Error> {
        let rows = channel::Entity::find()
            .filter(channel::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// Groups rows by their order, keeping the query's order; every key gets an entry.
fn by_order<T>(
    keys: &[Uuid],
    rows: Vec<T>,
    order_of: impl Fn(&T) -> Uuid,
) -> HashMap<Uuid, Vec<T>> {
    let mut map: HashMap<Uuid, Vec<T>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        map.entry(order_of(&row)).or_default().push(row);
    }
    map
}

pub struct OrderLinesLoader(DatabaseConnection);

impl Loader<Uuid> for OrderLinesLoader {
    type Value = Vec<order_line::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = order_line::Entity::find()
            .filter(order_line::Column::OrderId.is_in(keys.iter().copied()))
            .order_by_asc(order_line::Column::OrderId)
            .order_by_asc(order_line::Column::LineNo)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |l| l.order_id))
    }
}

pub struct OrderEventsLoader(DatabaseConnection);

impl Loader<Uuid> for OrderEventsLoader {
    type Value = Vec<order_event::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = order_event::Entity::find()
            .filter(order_event::Column::OrderId.is_in(keys.iter().copied()))
            .order_by_asc(order_event::Column::OrderId)
            .order_by_asc(order_event::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |e| e.order_id))
    }
}

/// Orders by id (a refund's order).
pub struct OrdersLoader(DatabaseConnection);

impl Loader<Uuid> for OrdersLoader {
    type Value = order::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = order::Entity::find()
            .filter(order::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|o| (o.id, o)).collect())
    }
}

/// An order's refunds, oldest first, by order id.
pub struct RefundsLoader(DatabaseConnection);

impl Loader<Uuid> for RefundsLoader {
    type Value = Vec<refund::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = refund::Entity::find()
            .filter(refund::Column::OrderId.is_in(keys.iter().copied()))
            .order_by_asc(refund::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |r| r.order_id))
    }
}

/// The customer's rating, by order id.
pub struct RatingsLoader(DatabaseConnection);

impl Loader<Uuid> for RatingsLoader {
    type Value = order_rating::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = order_rating::Entity::find()
            .filter(order_rating::Column::OrderId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|r| (r.order_id, r)).collect())
    }
}

/// Shipments by their own id.
pub struct ShipmentByIdLoader(DatabaseConnection);

impl Loader<Uuid> for ShipmentByIdLoader {
    type Value = shipment::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = shipment::Entity::find()
            .filter(shipment::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|s| (s.id, s)).collect())
    }
}

/// An exception task's contacts, oldest first, by task id.
pub struct ExceptionContactsLoader(DatabaseConnection);

impl Loader<Uuid> for ExceptionContactsLoader {
    type Value = Vec<exception_contact::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = exception_contact::Entity::find()
            .filter(exception_contact::Column::TaskId.is_in(keys.iter().copied()))
            .order_by_asc(exception_contact::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |c| c.task_id))
    }
}

/// An after-sales case's lines, by case id.
pub struct CaseLinesLoader(DatabaseConnection);

impl Loader<Uuid> for CaseLinesLoader {
    type Value = Vec<after_sales_case_line::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = after_sales_case_line::Entity::find()
            .filter(after_sales_case_line::Column::CaseId.is_in(keys.iter().copied()))
            .order_by_asc(after_sales_case_line::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |l| l.case_id))
    }
}

/// A COD remittance's lines in statement order, by remittance id.
pub struct RemittanceLinesLoader(DatabaseConnection);

impl Loader<Uuid> for RemittanceLinesLoader {
    type Value = Vec<cod_remittance_line::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = cod_remittance_line::Entity::find()
            .filter(cod_remittance_line::Column::RemittanceId.is_in(keys.iter().copied()))
            .order_by_asc(cod_remittance_line::Column::Line)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |l| l.remittance_id))
    }
}

/// An order's after-sales cases, oldest first, by order id.
pub struct OrderCasesLoader(DatabaseConnection);

impl Loader<Uuid> for OrderCasesLoader {
    type Value = Vec<after_sales_case::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = after_sales_case::Entity::find()
            .filter(after_sales_case::Column::OrderId.is_in(keys.iter().copied()))
            .order_by_asc(after_sales_case::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |c| c.order_id))
    }
}

/// Refunds by their own id.
pub struct RefundByIdLoader(DatabaseConnection);

impl Loader<Uuid> for RefundByIdLoader {
    type Value = refund::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = refund::Entity::find()
            .filter(refund::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// A webhook delivery's attempts, oldest first, by delivery id.
pub struct WebhookAttemptsLoader(DatabaseConnection);

impl Loader<Uuid> for WebhookAttemptsLoader {
    type Value = Vec<webhook_attempt::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = webhook_attempt::Entity::find()
            .filter(webhook_attempt::Column::DeliveryId.is_in(keys.iter().copied()))
            .order_by_asc(webhook_attempt::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |a| a.delivery_id))
    }
}

pub struct PaymentsLoader(DatabaseConnection);

impl Loader<Uuid> for PaymentsLoader {
    type Value = Vec<payment::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = payment::Entity::find()
            .filter(payment::Column::OrderId.is_in(keys.iter().copied()))
            .order_by_asc(payment::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |p| p.order_id))
    }
}

pub struct ShipmentsLoader(DatabaseConnection);

impl Loader<Uuid> for ShipmentsLoader {
    type Value = Vec<shipment::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = shipment::Entity::find()
            .filter(shipment::Column::OrderId.is_in(keys.iter().copied()))
            .order_by_asc(shipment::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |s| s.order_id))
    }
}

/// Lines by shipment id.
pub struct ShipmentLinesLoader(DatabaseConnection);

impl Loader<Uuid> for ShipmentLinesLoader {
    type Value = Vec<shipment_line::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = shipment_line::Entity::find()
            .filter(shipment_line::Column::ShipmentId.is_in(keys.iter().copied()))
            .order_by_asc(shipment_line::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |l| l.shipment_id))
    }
}

pub struct WarehouseLoader(DatabaseConnection);

impl Loader<Uuid> for WarehouseLoader {
    type Value = warehouse::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, warehouse::Model>, Self::Error> {
        let rows = warehouse::Entity::find()
            .filter(warehouse::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|w| (w.id, w)).collect())
    }
}

/// What a shipment shows of its order, by order id: warehouse staff see its number and
/// currency, not the order itself.
#[derive(Debug, Clone)]
pub struct OrderBrief {
    pub number: String,
    pub currency: String,
}

pub struct OrderBriefLoader(DatabaseConnection);

impl Loader<Uuid> for OrderBriefLoader {
    type Value = OrderBrief;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, OrderBrief>, Self::Error> {
        let rows: Vec<(Uuid, String, String)> = order::Entity::find()
            .select_only()
            .column(order::Column::Id)
            .column(order::Column::Number)
            .column(order::Column::Currency)
            .filter(order::Column::Id.is_in(keys.iter().copied()))
            .into_tuple()
            .all(&self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, number, currency)| (id, OrderBrief { number, currency }))
            .collect())
    }
}

/// A wave's pick tasks in walking order, by wave id.
pub struct WaveTasksLoader(DatabaseConnection);

impl Loader<Uuid> for WaveTasksLoader {
    type Value = Vec<pick_task::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = pick_task::Entity::find()
            .filter(pick_task::Column::WaveId.is_in(keys.iter().copied()))
            .order_by_asc(pick_task::Column::ListNo)
            .order_by_asc(pick_task::Column::Seq)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |t| t.wave_id))
    }
}

/// A wave's shipments, by wave id.
pub struct WaveShipmentsLoader(DatabaseConnection);

impl Loader<Uuid> for WaveShipmentsLoader {
    type Value = Vec<shipment::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = shipment::Entity::find()
            .filter(shipment::Column::WaveId.is_in(keys.iter().copied()))
            .order_by_asc(shipment::Column::WallSlot)
            .order_by_asc(shipment::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |s| s.wave_id.unwrap_or_default()))
    }
}

/// A pick task's shares per shipment line, by task id.
pub struct TaskPartsLoader(DatabaseConnection);

impl Loader<Uuid> for TaskPartsLoader {
    type Value = Vec<pick_task_part::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = pick_task_part::Entity::find()
            .filter(pick_task_part::Column::TaskId.is_in(keys.iter().copied()))
            .order_by_asc(pick_task_part::Column::Id)
            .all(&self.0)
            .await?;
        Ok(by_order(keys, rows, |p| p.task_id))
    }
}
