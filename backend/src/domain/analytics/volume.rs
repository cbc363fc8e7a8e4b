//! Order volume and value over time: daily figures, or the same summed into weeks.

use chrono::{Datelike, Duration, NaiveDate};
use orderly_shared::Granularity;
use std::collections::BTreeMap;

/// Orders placed in one period on one channel, with their value in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// The period's first day (a Monday for weeks).
    pub period: NaiveDate,
    pub channel: String,
    pub currency: String,
    pub orders: i64,
    pub value_minor: i64,
}

/// The period `day` falls in.
pub fn period_of(day: NaiveDate, granularity: Granularity) -> NaiveDate {
    match granularity {
        Granularity::Day => day,
        Granularity::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
    }
}

/// Sums daily figures into `granularity` periods, sorted by period, channel and currency.
pub fn bucket(daily: Vec<Volume>, granularity: Granularity) -> Vec<Volume> {
    let mut sums: BTreeMap<(NaiveDate, String, String), (i64, i64)> = BTreeMap::new();
    for v in daily {
        let key = (period_of(v.period, granularity), v.channel, v.currency);
        let sum = sums.entry(key).or_default();
        sum.0 += v.orders;
        sum.1 += v.value_minor;
    }
    sums.into_iter()
        .map(
            |((period, channel, currency), (orders, value_minor))| Volume {
                period,
                channel,
                currency,
                orders,
                value_minor,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn v(d: u32, channel: &str, orders: i64, value: i64) -> Volume {
        Volume {
            period: day(d),
            channel: channel.into(),
            currency: "CNY".into(),
            orders,
            value_minor: value,
        }
    }

    #[test]
    fn weeks_start_on_monday_and_sum_per_channel() {
        // 2026-11-01 is a Sunday; 11-02 a Monday.
        assert_eq!(
            period_of(day(1), Granularity::Week),
            NaiveDate::from_ymd_opt(2026, 10, 26).unwrap()
        );
        assert_eq!(period_of(day(8), Granularity::Week), day(2));
        let weekly = bucket(
            vec![
                v(3, "web", 2, 100),
                v(2, "web", 1, 50),
                v(4, "app", 1, 10),
                v(9, "web", 5, 5),
            ],
            Granularity::Week,
        );
        assert_eq!(
            weekly,
            vec![v(2, "app", 1, 10), v(2, "web", 3, 150), v(9, "web", 5, 5)]
        );
    }

    #[test]
    fn days_stay_as_they_are_but_sorted() {
        let daily = bucket(vec![v(4, "web", 1, 1), v(3, "web", 2, 2)], Granularity::Day);
        assert_eq!(daily, vec![v(3, "web", 2, 2), v(4, "web", 1, 1)]);
    }
}
