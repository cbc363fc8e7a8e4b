//! Lead-time statistics: exact nearest-rank percentiles, and the bottleneck.

use orderly_shared::Stage;

/// How long one stage took across a set of orders, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distribution {
    pub count: u64,
    pub p50: i64,
    pub p90: i64,
    pub p99: i64,
    pub max: i64,
    /// The mean, rounded down.
    pub mean: i64,
}

impl Distribution {
    /// The distribution of `seconds` (any order); None when there are none.
    pub fn of(mut seconds: Vec<i64>) -> Option<Distribution> {
        if seconds.is_empty() {
            return None;
        }
        seconds.sort_unstable();
        let sum: i128 = seconds.iter().map(|s| i128::from(*s)).sum();
        let count = seconds.len() as u64;
        Some(Distribution {
            count,
            p50: nearest_rank(&seconds, 50),
            p90: nearest_rank(&seconds, 90),
            p99: nearest_rank(&seconds, 99),
            max: seconds[seconds.len() - 1],
            mean: (sum / i128::from(count)) as i64,
        })
    }
}

/// The `percent`th percentile of sorted, non-empty `values` by the nearest-rank method: the
/// smallest value at least `percent` % of the values are less than or equal to. Always one of
/// the values, so a figure on the dashboard is a wait some order really had.
pub fn nearest_rank(sorted: &[i64], percent: u32) -> i64 {
    let n = sorted.len();
    let rank = (n * percent as usize).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Where orders wait longest: the stage with the highest p90, and how it compares with the
/// same stage in the period before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bottleneck {
    pub stage: Stage,
    pub p90: i64,
    /// The stage's p90 in the previous period, if it had any orders.
    pub previous_p90: Option<i64>,
}

impl Bottleneck {
    /// Seconds the p90 rose by since the previous period (negative: it improved).
    pub fn change(&self) -> Option<i64> {
        self.previous_p90.map(|p| self.p90 - p)
    }
}

/// The bottleneck among `current` stage distributions; ties go to the earlier stage, where the
/// wait started. `previous` gives the trend.
pub fn bottleneck(
    current: &[(Stage, Distribution)],
    previous: &[(Stage, Distribution)],
) -> Option<Bottleneck> {
    let (stage, worst) = current
        .iter()
        .fold(None::<(Stage, Distribution)>, |best, (s, d)| match best {
            Some((_, b)) if b.p90 >= d.p90 => best,
            _ => Some((*s, *d)),
        })?;
    Some(Bottleneck {
        stage,
        p90: worst.p90,
        previous_p90: previous
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, d)| d.p90),
    })
}

/// The mean score of ratings counted per score (`by_score[0]`: how many gave 1, … `[4]`: 5),
/// rounded to two decimals; None without ratings.
pub fn average_score(by_score: &[i64; 5]) -> Option<f64> {
    let count: i64 = by_score.iter().sum();
    if count <= 0 {
        return None;
    }
    let points: i64 = by_score.iter().zip(1..).map(|(n, score)| n * score).sum();
    Some((points as f64 / count as f64 * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_score_weighs_each_score_by_its_ratings() {
        assert_eq!(average_score(&[0; 5]), None);
        assert_eq!(average_score(&[0, 0, 0, 0, 3]), Some(5.0));
        assert_eq!(average_score(&[1, 0, 0, 0, 1]), Some(3.0));
        // (4 + 5 + 5) / 3 = 4.666…
        assert_eq!(average_score(&[0, 0, 0, 1, 2]), Some(4.67));
    }

    #[test]
    fn nearest_rank_percentiles_are_values_that_occurred() {
        let values: Vec<i64> = (1..=10).map(|v| v * 10).collect();
        assert_eq!(nearest_rank(&values, 50), 50);
        assert_eq!(nearest_rank(&values, 90), 90);
        assert_eq!(nearest_rank(&values, 99), 100);
        assert_eq!(nearest_rank(&[7], 50), 7);
        let hundred: Vec<i64> = (1..=100).collect();
        assert_eq!(nearest_rank(&hundred, 99), 99);
        assert_eq!(nearest_rank(&hundred, 90), 90);
        let three = [1, 2, 3];
        assert_eq!(nearest_rank(&three, 50), 2);
        assert_eq!(nearest_rank(&three, 90), 3);
    }

    #[test]
    fn a_distribution_sorts_and_summarises() {
        let d = Distribution::of(vec![300, 60, 120, 60]).unwrap();
        assert_eq!(
            d,
            Distribution {
                count: 4,
                p50: 60,
                p90: 300,
                p99: 300,
                max: 300,
                mean: 135
            }
        );
        assert_eq!(Distribution::of(vec![]), None);
    }

    #[test]
    fn the_bottleneck_is_the_highest_p90_with_its_trend() {
        let d = |p90| Distribution::of(vec![p90]).unwrap();
        let now = [
            (Stage::Review, d(600)),
            (Stage::Picking, d(3600)),
            (Stage::Packing, d(3600)),
        ];
        let before = [(Stage::Picking, d(1800))];
        let b = bottleneck(&now, &before).unwrap();
        assert_eq!(
            (b.stage, b.p90, b.change()),
            (Stage::Picking, 3600, Some(1800))
        );
        assert_eq!(bottleneck(&[], &before), None);
        let b = bottleneck(&now[..1], &[]).unwrap();
        assert_eq!((b.stage, b.change()), (Stage::Review, None));
    }
}
