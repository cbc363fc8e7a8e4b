//! A wave: allocated shipments of one warehouse picked together.
use orderly_shared::{WaveKind, WaveStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "waves")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub warehouse_id: Uuid,
    pub kind: WaveKind,
    pub status: WaveStatus,
    /// JSON: the filter the wave was built with.
    pub filter: String,
    pub wall_size: Option<i32>,
    pub shipment_count: i32,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
