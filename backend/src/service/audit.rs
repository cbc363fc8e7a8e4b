//! The audit log: who did what to which target, when. Entries are written inside the same
//! transaction as the change they describe, and published to live subscribers after commit.

use crate::db::entity::audit_log;
use crate::domain::auth::Actor;
use crate::error::AppResult;
use crate::service::page::{Page, PageRequest};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tokio::sync::broadcast;
use uuid::Uuid;

/// What happened. The stored name is stable; add variants, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignedIn,
    SignedOut,
    SessionReuseDetected,
    PasswordChanged,
    UserCreated,
    UserRolesChanged,
    UserDeactivated,
    UserReactivated,
    ApiKeyCreated,
    ApiKeyRevoked,
    DemoDataLoaded,
    ProductsImported,
    CouponCreated,
    WarehousesImported,
    StockImported,
    StockReceived,
    StockAdjusted,
    RiskRuleSaved,
    RiskSettingsChanged,
    BlocklistChanged,
    AllocationRuleSaved,
    StockSettingsChanged,
    PackagingSaved,
    CarrierSaved,
    WaveCreated,
    WaveCancelled,
    ShortPickReported,
    CycleCountCompleted,
    ParcelsHandedOver,
    RefundPolicyChanged,
    AfterSalesPolicyChanged,
    WebhookEndpointCreated,
    WebhookEndpointDeactivated,
    WebhookDeliveryResent,
    CodRemittanceRecorded,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignedIn => "session.signed_in",
            AuditAction::SignedOut => "session.signed_out",
            AuditAction::SessionReuseDetected => "session.reuse_detected",
            AuditAction::PasswordChanged => "user.password_changed",
            AuditAction::UserCreated => "user.created",
            AuditAction::UserRolesChanged => "user.roles_changed",
            AuditAction::UserDeactivated => "user.deactivated",
            AuditAction::UserReactivated => "user.reactivated",
            AuditAction::ApiKeyCreated => "api_key.created",
            AuditAction::ApiKeyRevoked => "api_key.revoked",
            AuditAction::DemoDataLoaded => "demo.loaded",
            AuditAction::ProductsImported => "catalog.products_imported",
            AuditAction::CouponCreated => "coupon.created",
            AuditAction::WarehousesImported => "stock.warehouses_imported",
            AuditAction::StockImported => "stock.imported",
            AuditAction::StockReceived => "stock.received",
            AuditAction::StockAdjusted => "stock.adjusted",
            AuditAction::RiskRuleSaved => "review.risk_rule_saved",
            AuditAction::RiskSettingsChanged => "review.settings_changed",
            AuditAction::BlocklistChanged => "review.blocklist_changed",
            AuditAction::AllocationRuleSaved => "allocation.rule_saved",
            AuditAction::StockSettingsChanged => "stock.settings_changed",
            AuditAction::PackagingSaved => "fulfilment.packaging_saved",
            AuditAction::CarrierSaved => "fulfilment.carrier_saved",
            AuditAction::WaveCreated => "wave.created",
            AuditAction::WaveCancelled => "wave.cancelled",
            AuditAction::ShortPickReported => "stock.short_pick_reported",
            AuditAction::CycleCountCompleted => "stock.cycle_count_completed",
            AuditAction::ParcelsHandedOver => "shipping.handed_over",
            AuditAction::RefundPolicyChanged => "finance.refund_policy_changed",
            AuditAction::AfterSalesPolicyChanged => "after_sales.policy_changed",
            AuditAction::WebhookEndpointCreated => "webhook.endpoint_created",
            AuditAction::WebhookEndpointDeactivated => "webhook.endpoint_deactivated",
            AuditAction::WebhookDeliveryResent => "webhook.delivery_resent",
            AuditAction::CodRemittanceRecorded => "finance.cod_remittance_recorded",
        }
    }
}

/// Live fan-out of committed audit entries (in-process).
#[derive(Clone)]
pub struct AuditBus(broadcast::Sender<audit_log::Model>);

impl Default for AuditBus {
    fn default() -> Self {
        AuditBus(broadcast::channel(1024).0)
    }
}

impl AuditBus {
    /// Call after the transaction that wrote `entries` has committed.
    pub fn publish(&self, entries: impl IntoIterator<Item = audit_log::Model>) {
        for entry in entries {
            // No subscribers is fine: the entry is in the database either way.
            let _ = self.0.send(entry);
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<audit_log::Model> {
        self.0.subscribe()
    }
}

/// Appends one entry using `conn` (normally the transaction of the change).
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: AuditAction,
    target_type: &str,
    target_id: Option<String>,
    detail: Option<serde_json::Value>,
) -> AppResult<audit_log::Model> {
    let (kind, actor_id, label) = actor.audit_identity();
    let row = audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(chrono::Utc::now()),
        actor_kind: Set(kind.to_string()),
        actor_id: Set(actor_id),
        actor_label: Set(label),
        action: Set(action.as_str().to_string()),
        target_type: Set(target_type.to_string()),
        target_id: Set(target_id),
        detail: Set(detail.map(|d| d.to_string())),
    };
    Ok(audit_log::Entity::insert(row)
        .exec_with_returning(conn)
        .await?)
}

/// Newest first.
pub async fn list(db: &DatabaseConnection, page: PageRequest) -> AppResult<Page<audit_log::Model>> {
    let mut query = audit_log::Entity::find().order_by_desc(audit_log::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(audit_log::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}
