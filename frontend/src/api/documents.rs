//! Printable documents (`GET /documents/{kind}/{id}.pdf`) and exports (`GET /exports/…csv`)
//! with the staff bearer token.
//!
//! The server wants the token in the `Authorization` header (never a cookie), so a plain link
//! cannot fetch a document: the console fetches it, keeps the PDF as a blob in the browser and
//! opens that blob's object URL. (`Blob` and `Url` of `web-sys` come with `gloo-net`'s `http`
//! feature.)

use super::ApiError;
use gloo_net::http::Request;
use orderly_shared::ErrorCode;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long an opened document's object URL stays valid (the tab has loaded it by then).
const KEEP_URL_MS: u32 = 120_000;

/// Where each kind of document is, e.g. `documents/labels/<shipment id>.pdf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Label,
    Invoice,
    PickList,
    Manifest,
    ReturnLabel,
}

impl Document {
    pub fn path(self, id: &str) -> String {
        let kind = match self {
            Document::Label => "labels",
            Document::Invoice => "invoices",
            Document::PickList => "pick-lists",
            Document::Manifest => "manifests",
            Document::ReturnLabel => "return-labels",
        };
        format!("/documents/{kind}/{id}.pdf")
    }
}

/// Fetches a document and answers its object URL (valid for a couple of minutes).
pub async fn fetch(token: &str, path: &str) -> Result<String, ApiError> {
    let response = Request::get(path)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiError::transport(e.to_string()))?;
    let status = response.status();
    if status != 200 {
        return Err(refusal(status, response.text().await.unwrap_or_default()));
    }
    let raw: web_sys::Response = response.into();
    let promise = raw
        .blob()
        .map_err(|e| ApiError::transport(format!("{e:?}")))?;
    let blob: web_sys::Blob = JsFuture::from(promise)
        .await
        .ok()
        .and_then(|b| b.dyn_into().ok())
        .ok_or_else(|| ApiError::transport("the document could not be read".into()))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| ApiError::transport(format!("{e:?}")))?;
    let keep = url.clone();
    gloo_timers::callback::Timeout::new(KEEP_URL_MS, move || {
        let _ = web_sys::Url::revoke_object_url(&keep);
    })
    .forget();
    Ok(url)
}

/// Saves an object URL as a file named `name` (a CSV export), through a transient link.
pub fn save(url: &str, name: &str) -> bool {
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    match link {
        Some(a) => {
            a.set_href(url);
            a.set_download(name);
            a.click();
            true
        }
        None => false,
    }
}

/// Opens an object URL in a new tab; false when the browser blocked the new window.
pub fn open(url: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.open_with_url_and_target(url, "_blank").ok().flatten())
        .is_some()
}

/// The server's `{code, message}` answer to a document it would not give.
fn refusal(status: u16, body: String) -> ApiError {
    let parsed: Option<serde_json::Value> = serde_json::from_str(&body).ok();
    let field = |name: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let code = field("code")
        .as_deref()
        .and_then(ErrorCode::parse)
        .or(match status {
            401 => Some(ErrorCode::Unauthenticated),
            403 => Some(ErrorCode::Forbidden),
            404 => Some(ErrorCode::NotFound),
            _ => Some(ErrorCode::Internal),
        });
    ApiError {
        code,
        message: field("message")
            .unwrap_or_else(|| format!("The server could not give the document (HTTP {status}).")),
        fields: Vec::new(),
    }
}

/// Fetches an export with the signed-in person's token and hands it to the browser as `file`;
/// answers what went wrong, in words for the page to show.
pub async fn download(auth: crate::session::Auth, path: String, file: &str) -> Result<(), String> {
    let url = auth
        .call(|token| {
            let path = path.clone();
            async move { fetch(&token, &path).await }
        })
        .await
        .map_err(|e| e.message)?;
    match save(&url, file) {
        true => Ok(()),
        false => Err("The browser did not save the file.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_live_under_their_kind() {
        assert_eq!(Document::Label.path("s1"), "/documents/labels/s1.pdf");
        assert_eq!(
            Document::PickList.path("w1"),
            "/documents/pick-lists/w1.pdf"
        );
    }

    #[test]
    fn a_refusal_carries_the_servers_code_and_message() {
        let e = refusal(
            409,
            r#"{"code":"INVALID_TRANSITION","message":"not labelled yet"}"#.into(),
        );
        assert!(e.is(ErrorCode::InvalidTransition));
        assert_eq!(e.message, "not labelled yet");
        assert!(refusal(401, String::new()).is(ErrorCode::Unauthenticated));
    }
}
