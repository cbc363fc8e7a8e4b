//! How well the orders placed in the window went after they left: which orders breached the SLA
//! or came back (counted per carrier with the carriers' figures), returns by reason and SKU,
//! refunds, ratings and the demand stock could not meet.
//! Each figure is one grouped query over the source rows of those orders (the window selects
//! them through the rollups), so it always agrees with the cases, refunds and ratings screens.

use super::filter::Filter;
use crate::db::entity::{
    after_sales_case, after_sales_case_line, exception_task, order_fact, order_line, order_rating,
    refund, stockout,
};
use crate::error::AppResult;
use orderly_shared::{CaseReason, ExceptionSource, RefundStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Postgres sums bigints as numeric; both databases read the cast back as an i64.
const BIGINT: &str = "bigint";

/// The orders whose parcel the SLA check found late.
pub fn sla_breached() -> SelectStatement {
    Query::select()
        .column(exception_task::Column::OrderId)
        .from(exception_task::Entity)
        .and_where(exception_task::Column::Source.eq(ExceptionSource::SlaCheck))
        .to_owned()
}

/// The orders the customer came back about (any after-sales case).
pub fn came_back() -> SelectStatement {
    Query::select()
        .column(after_sales_case::Column::OrderId)
        .from(after_sales_case::Entity)
        .to_owned()
}

/// After-sales cases of the selected orders.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Returns {
    /// Orders delivered (the ones a customer can come back about).
    pub delivered: i64,
    /// Orders with at least one case.
    pub orders: i64,
    /// Cases per reason, most first.
    pub by_reason: Vec<(CaseReason, i64)>,
}

pub async fn returns(conn: &impl ConnectionTrait, f: &Filter) -> AppResult<Returns> {
    let delivered: i64 = f
        .placed(order_fact::Entity::find())
        .select_only()
        .column_as(Expr::col(order_fact::Column::DeliveredAt).count(), "n")
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or(0);
    let orders: i64 = after_sales_case::Entity::find()
        .select_only()
        .column_as(
            Expr::col(after_sales_case::Column::OrderId).count_distinct(),
            "n",
        )
        .filter(after_sales_case::Column::OrderId.in_subquery(f.order_ids()))
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or(0);
    let mut by_reason: Vec<(CaseReason, i64)> = after_sales_case::Entity::find()
        .select_only()
        .column(after_sales_case::Column::Reason)
        .column_as(Expr::col(after_sales_case::Column::Id).count(), "cases")
        .filter(after_sales_case::Column::OrderId.in_subquery(f.order_ids()))
        .group_by(after_sales_case::Column::Reason)
        .into_tuple()
        .all(conn)
        .await?;
    by_reason.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Returns {
        delivered,
        orders,
        by_reason,
    })
}

/// One SKU's returns against what was sold of it in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuReturns {
    pub sku: String,
    pub sold: i64,
    pub returned: i64,
    pub cases: i64,
}

/// The `limit` SKUs with the most units customers came back about, most first.
pub async fn returns_by_sku(
    conn: &impl ConnectionTrait,
    f: &Filter,
    limit: u64,
) -> AppResult<Vec<SkuReturns>> {
    let cases = Query::select()
        .column(after_sales_case::Column::Id)
        .from(after_sales_case::Entity)
        .and_where(after_sales_case::Column::OrderId.in_subquery(f.order_ids()))
        .to_owned();
    let top: Vec<(String, i64, i64)> = after_sales_case_line::Entity::find()
        .select_only()
        .column(after_sales_case_line::Column::Sku)
        .column_as(
            Expr::col(after_sales_case_line::Column::Quantity)
                .sum()
                .cast_as(BIGINT),
            "units",
        )
        .column_as(
            Expr::col(after_sales_case_line::Column::CaseId).count_distinct(),
            "cases",
        )
        .filter(after_sales_case_line::Column::CaseId.in_subquery(cases))
        .group_by(after_sales_case_line::Column::Sku)
        .order_by_desc(Expr::col(after_sales_case_line::Column::Quantity).sum())
        .order_by_asc(after_sales_case_line::Column::Sku)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    if top.is_empty() {
        return Ok(Vec::new());
    }
    let sold: HashMap<String, i64> = order_line::Entity::find()
        .select_only()
        .column(order_line::Column::Sku)
        .column_as(
            Expr::col(order_line::Column::Quantity)
                .sum()
                .cast_as(BIGINT),
            "units",
        )
        .filter(order_line::Column::Sku.is_in(top.iter().map(|t| t.0.clone())))
        .filter(order_line::Column::OrderId.in_subquery(f.order_ids()))
        .group_by(order_line::Column::Sku)
        .into_tuple::<(String, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(top
        .into_iter()
        .map(|(sku, returned, cases)| SkuReturns {
            sold: sold.get(&sku).copied().unwrap_or(0),
            sku,
            returned,
            cases,
        })
        .collect())
}

/// Refunds of the selected orders in one currency and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundTotal {
    pub currency: String,
    pub status: RefundStatus,
    pub refunds: i64,
    pub amount_minor: i64,
}

/// Refunds per currency and status, and how many orders had money go back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refunds {
    pub orders: i64,
    /// Orders with at least one executed refund.
    pub refunded: i64,
    pub totals: Vec<RefundTotal>,
}

pub async fn refunds(conn: &impl ConnectionTrait, f: &Filter) -> AppResult<Refunds> {
    use sea_orm::PaginatorTrait;
    let orders = f.placed(order_fact::Entity::find()).count(conn).await? as i64;
    let refunded: i64 = refund::Entity::find()
        .select_only()
        .column_as(Expr::col(refund::Column::OrderId).count_distinct(), "n")
        .filter(refund::Column::Status.eq(RefundStatus::Executed))
        .filter(refund::Column::OrderId.in_subquery(f.order_ids()))
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or(0);
    let rows: Vec<(String, RefundStatus, i64, i64)> = refund::Entity::find()
        .select_only()
        .column(refund::Column::Currency)
        .column(refund::Column::Status)
        .column_as(Expr::col(refund::Column::Id).count(), "refunds")
        .column_as(
            Expr::col(refund::Column::AmountMinor).sum().cast_as(BIGINT),
            "amount",
        )
        .filter(refund::Column::OrderId.in_subquery(f.order_ids()))
        .group_by(refund::Column::Currency)
        .group_by(refund::Column::Status)
        .order_by_asc(refund::Column::Currency)
        .order_by_asc(refund::Column::Status)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(Refunds {
        orders,
        refunded,
        totals: rows
            .into_iter()
            .map(|(currency, status, refunds, amount_minor)| RefundTotal {
                currency,
                status,
                refunds,
                amount_minor,
            })
            .collect(),
    })
}

/// How many of the selected orders got each score, 1 to 5.
pub async fn ratings(conn: &impl ConnectionTrait, f: &Filter) -> AppResult<[i64; 5]> {
    let rows: Vec<(i16, i64)> = order_rating::Entity::find()
        .select_only()
        .column(order_rating::Column::Score)
        .column_as(Expr::col(order_rating::Column::OrderId).count(), "n")
        .filter(order_rating::Column::OrderId.in_subquery(f.order_ids()))
        .group_by(order_rating::Column::Score)
        .into_tuple()
        .all(conn)
        .await?;
    let mut by_score = [0; 5];
    for (score, n) in rows {
        if let Some(slot) = usize::try_from(score - 1)
            .ok()
            .and_then(|i| by_score.get_mut(i))
        {
            *slot = n;
        }
    }
    Ok(by_score)
}

/// Demand for one SKU that stock could not meet when the orders came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuStockout {
    pub sku: String,
    pub orders: i64,
    pub units: i64,
    /// Of them, still waiting for stock.
    pub waiting: i64,
}

/// The `limit` SKUs with the most units short, most first.
pub async fn stockouts(
    conn: &impl ConnectionTrait,
    f: &Filter,
    limit: u64,
) -> AppResult<Vec<SkuStockout>> {
    let rows: Vec<(String, i64, i64, i64)> = stockout::Entity::find()
        .select_only()
        .column(stockout::Column::Sku)
        .column_as(
            Expr::col(stockout::Column::OrderId).count_distinct(),
            "orders",
        )
        .column_as(
            Expr::col(stockout::Column::Quantity).sum().cast_as(BIGINT),
            "units",
        )
        .column_as(
            Expr::case(
                stockout::Column::Open.eq(true),
                Expr::col(stockout::Column::Quantity),
            )
            .finally(0)
            .sum()
            .cast_as(BIGINT),
            "waiting",
        )
        .filter(stockout::Column::OrderId.in_subquery(f.order_ids()))
        .group_by(stockout::Column::Sku)
        .order_by_desc(Expr::col(stockout::Column::Quantity).sum())
        .order_by_asc(stockout::Column::Sku)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(sku, orders, units, waiting)| SkuStockout {
            sku,
            orders,
            units,
            waiting,
        })
        .collect())
}
