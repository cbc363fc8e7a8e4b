//! A warehouse as imported from `warehouses.csv`
//! (`code,name,country,region,city,postal_code,latitude,longitude`).

use crate::domain::orders::is_country_code;
use orderly_shared::FieldProblem;

/// A warehouse row as given (text, from CSV or a form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WarehouseDraft {
    pub code: String,
    pub name: String,
    pub country: String,
    pub region: String,
    pub city: String,
    pub postal_code: String,
    pub latitude: String,
    pub longitude: String,
}

/// A validated warehouse.
#[derive(Debug, Clone, PartialEq)]
pub struct Warehouse {
    /// 1–16 of `A-Z 0-9 -`, upper-case.
    pub code: String,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub region: Option<String>,
    pub city: String,
    pub postal_code: Option<String>,
    /// Both or neither.
    pub coordinates: Option<(f64, f64)>,
}

/// A warehouse code: 1–16 of `A-Z 0-9 -` (folded to upper case).
pub fn validate_warehouse_code(raw: &str) -> Result<String, FieldProblem> {
    let code = raw.trim().to_ascii_uppercase();
    let shaped = (1..=16).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if shaped {
        Ok(code)
    } else {
        Err(FieldProblem::new(
            "code",
            "INVALID_CODE",
            format!("must be 1 to 16 letters, digits or dashes (got {raw:?})"),
        ))
    }
}

/// Validates a warehouse, reporting every problem (paths are column names).
pub fn validate_warehouse(d: &WarehouseDraft) -> Result<Warehouse, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let code = validate_warehouse_code(&d.code)
        .map_err(|p| problems.push(p))
        .ok();
    let text =
        |path: &str, value: &str, max: usize, required: bool, problems: &mut Vec<FieldProblem>| {
            let value = value.trim();
            if value.is_empty() {
                if required {
                    problems.push(FieldProblem::new(path, "REQUIRED", "must not be blank"));
                }
                return None;
            }
            if value.chars().count() > max {
                problems.push(FieldProblem::new(
                    path,
                    "TOO_LONG",
                    format!("at most {max} characters"),
                ));
            }
            Some(value.to_string())
        };
    let name = text("name", &d.name, 100, true, &mut problems);
    let country = d.country.trim().to_ascii_uppercase();
    if !is_country_code(&country) {
        problems.push(FieldProblem::new(
            "country",
            "INVALID_COUNTRY",
            format!("must be an ISO 3166-1 alpha-2 code (got {:?})", d.country),
        ));
    }
    let region = text("region", &d.region, 64, false, &mut problems);
    let city = text("city", &d.city, 64, true, &mut problems);
    let postal_code = text("postal_code", &d.postal_code, 12, false, &mut problems);
    let coordinate = |path: &str, raw: &str, limit: f64, problems: &mut Vec<FieldProblem>| {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Some(v),
            _ => {
                problems.push(FieldProblem::new(
                    path,
                    "INVALID_COORDINATE",
                    format!("must be a number from -{limit} to {limit} (got {raw:?})"),
                ));
                None
            }
        }
    };
    let latitude = coordinate("latitude", &d.latitude, 90.0, &mut problems);
    let longitude = coordinate("longitude", &d.longitude, 180.0, &mut problems);
    let coordinates = match (latitude, longitude) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        (None, None) => None,
        _ => {
            if !d.latitude.trim().is_empty() && !d.longitude.trim().is_empty() {
                None // one of them was already reported as invalid
            } else {
                problems.push(FieldProblem::new(
                    "longitude",
                    "INCOMPLETE_COORDINATES",
                    "give both latitude and longitude, or neither",
                ));
                None
            }
        }
    };
    match (code, name, city) {
        (Some(code), Some(name), Some(city)) if problems.is_empty() => Ok(Warehouse {
            code,
            name,
            country,
            region,
            city,
            postal_code,
            coordinates,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> WarehouseDraft {
        WarehouseDraft {
            code: "sh-1".into(),
            name: "Shanghai Pudong".into(),
            country: "cn".into(),
            region: "Shanghai".into(),
            city: "Shanghai".into(),
            postal_code: "201210".into(),
            latitude: "31.2304".into(),
            longitude: "121.4737".into(),
        }
    }

    #[test]
    fn a_good_row_is_normalized() {
        let w = validate_warehouse(&draft()).unwrap();
        assert_eq!(w.code, "SH-1");
        assert_eq!(w.country, "CN");
        assert_eq!(w.coordinates, Some((31.2304, 121.4737)));
        let mut d = draft();
        d.latitude.clear();
        d.longitude.clear();
        d.region.clear();
        let w = validate_warehouse(&d).unwrap();
        assert_eq!((w.coordinates, w.region), (None, None));
    }

    #[test]
    fn every_problem_is_reported_with_its_column() {
        let d = WarehouseDraft {
            code: "SH 1".into(),
            name: " ".into(),
            country: "XX".into(),
            region: "".into(),
            city: "".into(),
            postal_code: "".into(),
            latitude: "91".into(),
            longitude: "east".into(),
        };
        let problems: Vec<(String, String)> = validate_warehouse(&d)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect();
        let expected = [
            ("code", "INVALID_CODE"),
            ("name", "REQUIRED"),
            ("country", "INVALID_COUNTRY"),
            ("city", "REQUIRED"),
            ("latitude", "INVALID_COORDINATE"),
            ("longitude", "INVALID_COORDINATE"),
        ];
        assert_eq!(
            problems,
            expected.map(|(p, c)| (p.to_string(), c.to_string()))
        );
        let mut half = draft();
        half.longitude.clear();
        let problems = validate_warehouse(&half).unwrap_err();
        assert_eq!(problems[0].code, "INCOMPLETE_COORDINATES");
    }
}
