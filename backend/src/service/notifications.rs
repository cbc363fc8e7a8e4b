//! Customer messages (SPEC §2.1): rendered from templates the merchant can edit, sent by e-mail
//! (SMTP) and SMS (a provider behind a trait; the default one only logs). Delivery happens in
//! the outbox worker, so a message is sent at least once after the change that caused it commits.

use crate::db::entity::{order, order_line};
use crate::domain::money::{Currency, Money};
use crate::error::{AppError, AppResult};
use chrono::{Datelike, TimeDelta, Weekday};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// Embedded defaults; a file of the same name in the templates folder overrides each.
const DEFAULT_EMAIL: &str = include_str!("../../templates/order_confirmed.email.txt");
const DEFAULT_SMS: &str = include_str!("../../templates/order_confirmed.sms.txt");

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Sends e-mail.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a>;
    /// How the timeline names the channel, e.g. `email (smtp)`.
    fn describe(&self) -> &'static str;
}

/// Sends SMS.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, body: &'a str) -> SendFuture<'a>;
    fn describe(&self) -> &'static str;
}

/// SMTP through `ORDERLY_SMTP_URL` (e.g. `smtp://user:pass@mail.example:587?tls=required`).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| e.to_string())?
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| e.to_string())?;
        Ok(SmtpMailer { transport, from })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let message = Message::builder()
                .from(self.from.clone())
                .to(to
                    .parse()
                    .map_err(|e: lettre::address::AddressError| e.to_string())?)
                .subject(subject)
                .body(body.to_string())
                .map_err(|e| e.to_string())?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
    fn describe(&self) -> &'static str {
        "email (smtp)"
    }
}

/// Without `ORDERLY_SMTP_URL`: messages are logged; the outbox keeps them.
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, _body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(
                to,
                subject,
                "e-mail (not sent: ORDERLY_SMTP_URL is not set)"
            );
            Ok(())
        })
    }
    fn describe(&self) -> &'static str {
        "email (logged only)"
    }
}

/// The default SMS provider: logs the message.
pub struct LogSms;

impl SmsSender for LogSms {
    fn send<'a>(&'a self, to: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(to, body, "SMS (logging provider)");
            Ok(())
        })
    }
    fn describe(&self) -> &'static str {
        "sms (logged only)"
    }
}

/// A rendered order confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub email_body: String,
    pub sms: String,
}

/// Where merchants keep their templates (`ORDERLY_TEMPLATES_DIR`, default `templates/`).
pub fn templates_dir() -> PathBuf {
    std::env::var("ORDERLY_TEMPLATES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("templates"))
}

fn template(name: &str, default: &str) -> String {
    std::fs::read_to_string(templates_dir().join(name)).unwrap_or_else(|_| default.to_string())
}

/// Renders the order-confirmation e-mail and SMS.
pub fn render_confirmation(o: &order::Model, lines: &[order_line::Model]) -> AppResult<Rendered> {
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    let money = |minor: i64| Money::from_minor(minor, currency).to_string();
    let line_text: Vec<String> = lines
        .iter()
        .map(|l| {
            format!(
                "  {} × {} ({})  {}",
                l.quantity,
                l.name,
                l.sku,
                money(l.line_total_minor - l.discount_minor)
            )
        })
        .collect();
    let address = [
        Some(o.ship_recipient.clone()),
        Some(o.ship_line1.clone()),
        o.ship_line2.clone(),
        Some(
            [
                o.ship_district.clone(),
                Some(o.ship_city.clone()),
                o.ship_region.clone(),
                o.ship_postal_code.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        ),
        Some(o.ship_country.clone()),
    ]
    .into_iter()
    .flatten()
    .map(|l| format!("  {l}"))
    .collect::<Vec<_>>()
    .join("\n");
    let values = [
        ("order_number", o.number.clone()),
        ("customer_name", o.customer_name.clone()),
        ("total", money(o.total_minor)),
        (
            "payment_method",
            match o.payment_method {
                orderly_shared::PaymentMethod::Prepaid => "paid online".to_string(),
                orderly_shared::PaymentMethod::CashOnDelivery => "cash on delivery".to_string(),
            },
        ),
        (
            "expected_dispatch",
            expected_dispatch(o.updated_at)
                .format("%Y-%m-%d")
                .to_string(),
        ),
        ("lines", line_text.join("\n")),
        ("address", address),
    ];
    let fill = |text: String| {
        values
            .iter()
            .fold(text, |t, (k, v)| t.replace(&format!("{{{{{k}}}}}"), v))
    };
    let email = fill(template("order_confirmed.email.txt", DEFAULT_EMAIL));
    let (subject, body) = match email.split_once('\n') {
        Some((first, rest)) if first.starts_with("Subject:") => (
            first.trim_start_matches("Subject:").trim().to_string(),
            rest.trim_start().to_string(),
        ),
        _ => (format!("Your order {} is confirmed", o.number), email),
    };
    Ok(Rendered {
        subject,
        email_body: body,
        sms: fill(template("order_confirmed.sms.txt", DEFAULT_SMS))
            .trim()
            .to_string(),
    })
}

/// The body of an invoice e-mailed on its own: buyer, lines, totals (the PDF is the printed
/// form of the same figures).
pub fn render_invoice(o: &order::Model, lines: &[order_line::Model]) -> AppResult<String> {
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    let money = |minor: i64| Money::from_minor(minor, currency).to_string();
    let requests = crate::service::orders::stored::special_requests(o);
    let Some(invoice) = requests.invoice else {
        return Err(AppError::Conflict(format!(
            "order {} did not ask for an invoice",
            o.number
        )));
    };
    let mut text = format!(
        "Dear {},\n\nYour invoice for order {}.\n\nInvoice to: {}\n",
        o.customer_name, o.number, invoice.title
    );
    if let Some(tax_id) = invoice.tax_id {
        text.push_str(&format!("Tax id: {tax_id}\n"));
    }
    text.push('\n');
    for l in lines {
        text.push_str(&format!(
            "  {} × {} ({})  {}\n",
            l.quantity,
            l.name,
            l.sku,
            money(l.line_total_minor)
        ));
    }
    if o.discount_minor != 0 {
        text.push_str(&format!("  Discount  -{}\n", money(o.discount_minor)));
    }
    text.push_str(&format!(
        "  Shipping  {}\n  Total     {}\n  (tax included: {})\n",
        money(o.shipping_minor),
        money(o.total_minor),
        money(o.tax_minor)
    ));
    Ok(text)
}

/// The next working day after confirmation (orders confirmed today ship tomorrow, Monday after a weekend).
pub fn expected_dispatch(confirmed: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    let mut day = confirmed.date_naive() + TimeDelta::days(1);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += TimeDelta::days(1);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn dispatch_is_the_next_working_day() {
        let friday = Utc.with_ymd_and_hms(2026, 11, 27, 15, 0, 0).unwrap();
        assert_eq!(
            expected_dispatch(friday),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        let tuesday = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        assert_eq!(
            expected_dispatch(tuesday),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
    }
}
