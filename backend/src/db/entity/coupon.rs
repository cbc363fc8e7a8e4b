use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coupons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    /// `PERCENTAGE` or `FIXED`.
    pub kind: String,
    pub percent_bp: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: String,
    pub min_order_minor: Option<i64>,
    pub valid_from: DateTimeUtc,
    pub valid_until: Option<DateTimeUtc>,
    pub total_limit: Option<i32>,
    pub used_total: i32,
    pub per_customer_limit: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
