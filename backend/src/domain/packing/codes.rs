//! Stable machine codes for packing errors and discrepancies. Clients branch on these, never on
//! the message, so each enum spells its codes once — the serde name and `as_str` come from the
//! same line — and a test checks that the two agree.

/// Declares a code enum whose serde name and `as_str` are the given SCREAMING_SNAKE text.
macro_rules! machine_codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code as clients see it, e.g. `WRONG_ITEM`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(super) use machine_codes;

#[cfg(test)]
mod tests {
    use super::super::{CartonizationCode, DiscrepancyCode, PackScanCode, PackSetupCode};

    fn serde_names<T: serde::Serialize>(codes: &[T]) -> Vec<String> {
        codes
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    fn is_screaming_snake(text: &str) -> bool {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    }

    #[test]
    fn every_code_serialises_as_its_screaming_snake_text_and_is_unique_in_its_enum() {
        macro_rules! check {
            ($code:ty) => {
                let texts: Vec<String> = <$code>::ALL.iter().map(|c| c.to_string()).collect();
                assert_eq!(serde_names(<$code>::ALL), texts);
                for (text, code) in texts.iter().zip(<$code>::ALL) {
                    assert!(is_screaming_snake(text), "{text}");
                    let back: $code = serde_json::from_value(serde_json::json!(text)).unwrap();
                    assert_eq!(back, *code);
                }
                let mut unique = texts.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), texts.len(), "{texts:?}");
            };
        }
        check!(CartonizationCode);
        check!(PackScanCode);
        check!(PackSetupCode);
        check!(DiscrepancyCode);
    }
}
