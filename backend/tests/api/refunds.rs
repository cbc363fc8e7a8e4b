//! Refunds through the API: customer service requests, finance decides (never the requester; two
//! approvers above the threshold), the simulated provider pays out exactly once however often
//! execution is retried, partial refunds never exceed what was paid, and the order's payment
//! status follows. Cancellations after payment enter the same pipeline.

use crate::fulfilment::{carrier_callback, ok, order, problem, setup, ship_one};
use crate::helpers::*;
use orderly::gateway::RefundFailure;
use orderly_shared::Role;
use serde_json::{Value, json};

const REQUEST: &str = "mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id status amount { amount currency } approvalsNeeded requestedBy } }";
const APPROVE: &str = "mutation($id: ID!, $n: String) { approveRefund(id: $id, note: $n) { id status firstApprovedBy decidedBy } }";
const REJECT: &str =
    "mutation($id: ID!, $r: String!) { rejectRefund(id: $id, reason: $r) { status decisionNote } }";
const RETRY: &str = "mutation($id: ID!) { retryRefund(id: $id) { status } }";
const REFUND: &str = "query($id: ID!) { refund(id: $id) { status failureReason providerReference attempts executedAt payoutReference order { number paymentStatus } } }";
const ORDER: &str = "query($id: ID) { order(id: $id) { status paymentStatus refunds { status amount { amount } requestedBy } payments { kind amount { amount } } events { reason } } }";

/// A prepaid order of `quantity` teas, paid in full; returns `(id, number, total)`.
async fn paid_order(app: &TestApp, n: usize, quantity: i64) -> (String, String, String) {
    let partner = As::ApiKey(app.partner_key("web").await);
    let placed = app
        .gql(
            &partner,
            "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number total { amount currency } } }",
            json!({ "input": order(n, "PREPAID", &[("TEA-1", quantity)]) }),
        )
        .await;
    let o = placed["data"]["placeOrder"].clone();
    assert!(o["id"].is_string(), "{placed}");
    let total = o["total"]["amount"].as_str().unwrap().to_string();
    let body = json!({ "eventId": format!("pay-{n}"), "orderNumber": o["number"], "status": "SUCCEEDED", "amount": total, "currency": "CNY" });
    let (status, _) = app
        .payment_callback(&body, &app.payment_secret(), chrono::Utc::now().timestamp())
        .await;
    assert_eq!(status, 200);
    (
        o["id"].as_str().unwrap().to_string(),
        o["number"].as_str().unwrap().to_string(),
        total,
    )
}

/// An app without background jobs: these tests run the outbox themselves, step by step.
async fn quiet(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |c| c.background_jobs = false).await
}

/// Runs the outbox once, as the background worker would.
async fn work(app: &TestApp) {
    orderly::jobs::worker::run_once(&app.state.db, &app.state.channels)
        .await
        .unwrap();
}

async fn staff(app: &TestApp) -> (As, As, As) {
    let cs = app
        .signed_in("cs@shop.example", &[Role::CustomerService])
        .await
        .bearer();
    let fin1 = app
        .signed_in("fin1@shop.example", &[Role::Finance])
        .await
        .bearer();
    let fin2 = app
        .signed_in("fin2@shop.example", &[Role::Finance])
        .await
        .bearer();
    (cs, fin1, fin2)
}

fn request(order_id: &str, amount: &str, reason: &str) -> Value {
    json!({ "i": { "orderId": order_id, "amount": amount, "reason": reason } })
}

each_backend! {
    async fn a_paid_order_cancelled_by_customer_service_is_refunded_once_finance_approves(backend) {
        let app = quiet(backend).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let (cs, fin1, _) = staff(&app).await;
        let (id, number, total) = paid_order(&app, 1, 2).await;
        let mut ws = app.ws(json!({ "authorization": format!("Bearer {}", match &fin1 { As::Bearer(t) => t, _ => unreachable!() }) })).await.unwrap();
        ws.subscribe("q", "subscription { queueChanged(queue: REFUNDS) { kind orderNumber } }").await;

        ok(&app, &cs, "mutation($id: ID!) { cancelOrder(id: $id, reason: \"customer changed their mind\") { status } }", json!({ "id": id })).await;
        let live = ws.next_payload(5).await.expect("the finance queue hears of the refund");
        assert_eq!(live["data"]["queueChanged"], json!({ "kind": "REQUESTED", "orderNumber": number }));
        let queue = ok(&app, &fin1, "{ refunds(filter: { status: [REQUESTED] }) { nodes { id amount { amount } requestedBy reason order { number } } } }", json!({})).await;
        let refund = queue["refunds"]["nodes"][0].clone();
        assert_eq!((refund["amount"]["amount"].as_str(), refund["requestedBy"].as_str()), (Some(total.as_str()), Some("cs@shop.example")), "{queue}");
        assert!(refund["reason"].as_str().unwrap().contains("customer changed their mind"), "{refund}");

        // Customer service cannot decide refunds at all.
        let denied = app.gql(&cs, APPROVE, json!({ "id": refund["id"] })).await;
        assert_eq!(error_code(&denied), Some("FORBIDDEN"));

        let approved = ok(&app, &fin1, APPROVE, json!({ "id": refund["id"], "n": "policy: full refund" })).await;
        assert_eq!(approved["approveRefund"]["status"], "APPROVED");
        assert_eq!(ws.next_payload(5).await.unwrap()["data"]["queueChanged"]["kind"], "APPROVED");
        work(&app).await;
        assert_eq!(ws.next_payload(5).await.unwrap()["data"]["queueChanged"]["kind"], "EXECUTED");

        let done = ok(&app, &fin1, REFUND, json!({ "id": refund["id"] })).await["refund"].clone();
        assert_eq!(done["status"], "EXECUTED");
        assert!(done["providerReference"].as_str().unwrap().starts_with("sim-re-"));
        assert_eq!(done["order"]["paymentStatus"], "REFUNDED");
        // A reviewer reads the order, not the money that went back.
        let reviewer = app.signed_in("rev@shop.example", &[Role::Reviewer]).await.bearer();
        let peek = app.gql(&reviewer, "query($id: ID) { order(id: $id) { status refunds { status } } }", json!({ "id": id })).await;
        assert_eq!(error_code(&peek), Some("FORBIDDEN"), "{peek}");
        let o = ok(&app, &cs, ORDER, json!({ "id": id })).await["order"].clone();
        let kinds: Vec<&str> = o["payments"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["CAPTURE", "REFUND"]);
        let reasons: Vec<&str> = o["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.iter().any(|r| r.starts_with("refund of") && r.contains("requested")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("approved: policy: full refund")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("paid out") && r.contains("payment REFUNDED")), "{reasons:?}");
        assert_eq!(app.state.simulated_refunds.payouts(), 1);

        // Decided is decided.
        let again = app.gql(&fin1, APPROVE, json!({ "id": refund["id"] })).await;
        assert_eq!(error_code(&again), Some("INVALID_TRANSITION"), "{again}");
    }

    async fn whoever_requested_a_refund_cannot_approve_it_and_large_ones_need_two_approvers(backend) {
        let app = quiet(backend).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let (_, fin1, fin2) = staff(&app).await;
        let both = app.signed_in("lead@shop.example", &[Role::CustomerService, Role::Finance]).await.bearer();
        let admin = app.signed_in("admin@shop.example", &[Role::Admin]).await.bearer();
        let (id, _, _) = paid_order(&app, 2, 3).await;

        // Finance may not lower its own control; the admin sets it.
        let policy = "mutation($t: [ThresholdInput!]!) { setRefundPolicy(secondApprovalAbove: $t) { secondApprovalAbove { amount currency } } }";
        assert_eq!(error_code(&app.gql(&fin1, policy, json!({ "t": [{ "amount": "0", "currency": "CNY" }] })).await), Some("FORBIDDEN"));
        let bad = app.gql(&admin, policy, json!({ "t": [{ "amount": "-1", "currency": "CNY" }, { "amount": "5", "currency": "XXX" }] })).await;
        assert_eq!(field_problems(&bad).len(), 2, "{bad}");
        ok(&app, &admin, policy, json!({ "t": [{ "amount": "100.00", "currency": "CNY" }] })).await;

        let small = ok(&app, &both, REQUEST, request(&id, "20.00", "late delivery goodwill")).await["requestRefund"].clone();
        assert_eq!((small["status"].as_str(), small["approvalsNeeded"].as_i64()), (Some("REQUESTED"), Some(1)));
        let own = app.gql(&both, APPROVE, json!({ "id": small["id"] })).await;
        assert_eq!(error_code(&own), Some("FORBIDDEN"));
        assert!(error_message(&own).contains("lead@shop.example requested this refund"), "{own}");
        assert_eq!(ok(&app, &fin1, REFUND, json!({ "id": small["id"] })).await["refund"]["status"], "REQUESTED", "a refused approval changes nothing");

        let large = ok(&app, &both, REQUEST, request(&id, "150.00", "damaged box, customer keeps it")).await["requestRefund"].clone();
        assert_eq!(large["approvalsNeeded"], 2);
        let first = ok(&app, &fin1, APPROVE, json!({ "id": large["id"] })).await["approveRefund"].clone();
        assert_eq!((first["status"].as_str(), first["firstApprovedBy"].as_str()), (Some("REQUESTED"), Some("fin1@shop.example")));
        let twice = app.gql(&fin1, APPROVE, json!({ "id": large["id"] })).await;
        assert_eq!(error_code(&twice), Some("FORBIDDEN"), "{twice}");
        let second = ok(&app, &fin2, APPROVE, json!({ "id": large["id"] })).await["approveRefund"].clone();
        assert_eq!((second["status"].as_str(), second["decidedBy"].as_str()), (Some("APPROVED"), Some("fin2@shop.example")));

        // A rejection needs a reason and frees the amount.
        let blank = app.gql(&fin2, REJECT, json!({ "id": small["id"], "r": " " })).await;
        assert_eq!(error_code(&blank), Some("VALIDATION"));
        let rejected = ok(&app, &fin2, REJECT, json!({ "id": small["id"], "r": "already compensated by coupon" })).await;
        assert_eq!(rejected["rejectRefund"], json!({ "status": "REJECTED", "decisionNote": "already compensated by coupon" }));
    }

    async fn partial_refunds_add_up_and_never_exceed_what_was_paid(backend) {
        let app = quiet(backend).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let (cs, fin1, _) = staff(&app).await;
        let (id, _, total) = paid_order(&app, 3, 2).await;
        let total: f64 = total.parse().unwrap();

        for (amount, reason, code) in [("abc", "x", "INVALID_AMOUNT"), ("0", "x", "MUST_BE_POSITIVE"), ("1.001", "x", "INVALID_AMOUNT"), ("10.00", "  ", "REQUIRED")] {
            let resp = app.gql(&cs, REQUEST, request(&id, amount, reason)).await;
            assert_eq!(problem(&resp).0, code, "{amount:?} {reason:?}: {resp}");
        }
        let first = ok(&app, &cs, REQUEST, request(&id, "50.00", "one cup arrived chipped")).await["requestRefund"].clone();
        let too_much = app.gql(&cs, REQUEST, request(&id, &format!("{:.2}", total - 49.99), "the rest and a cent")).await;
        let (code, message) = problem(&too_much);
        assert_eq!(code, "EXCEEDS_PAID");
        assert!(message.contains(&format!("only {:.2} CNY of the {total:.2} CNY paid is left", total - 50.0)), "{message}");
        assert_eq!(app.count("refunds").await, 1, "a refused request stores nothing");

        ok(&app, &fin1, APPROVE, json!({ "id": first["id"] })).await;
        work(&app).await;
        let o = ok(&app, &cs, ORDER, json!({ "id": id })).await["order"].clone();
        assert_eq!(o["paymentStatus"], "PARTIALLY_REFUNDED");
        let rest = ok(&app, &cs, REQUEST, request(&id, &format!("{:.2}", total - 50.0), "customer returns the rest")).await["requestRefund"].clone();
        ok(&app, &fin1, APPROVE, json!({ "id": rest["id"] })).await;
        work(&app).await;
        let o = ok(&app, &cs, ORDER, json!({ "id": id })).await["order"].clone();
        assert_eq!(o["paymentStatus"], "REFUNDED", "{o}");
        let nothing_left = app.gql(&cs, REQUEST, request(&id, "0.01", "one more")).await;
        assert_eq!(problem(&nothing_left).0, "EXCEEDS_PAID");
    }

    async fn execution_pays_once_however_often_it_is_retried(backend) {
        let app = quiet(backend).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let (cs, fin1, _) = staff(&app).await;
        let (id, _, _) = paid_order(&app, 4, 1).await;
        let r = ok(&app, &cs, REQUEST, request(&id, "10.00", "goodwill")).await["requestRefund"].clone();

        // No answer from the provider: still approved, retried by the outbox later.
        app.state.simulated_refunds.fail_next([RefundFailure::Unavailable("timeout".into()), RefundFailure::Declined("card expired".into())]);
        ok(&app, &fin1, APPROVE, json!({ "id": r["id"] })).await;
        work(&app).await;
        let now = ok(&app, &fin1, REFUND, json!({ "id": r["id"] })).await["refund"].clone();
        assert_eq!((now["status"].as_str(), now["failureReason"].as_str(), now["attempts"].as_i64()), (Some("APPROVED"), Some("timeout"), Some(1)), "{now}");
        let outbox: i64 = app.count("outbox WHERE topic = 'refund.execute' AND delivered_at IS NULL").await;
        assert_eq!(outbox, 1, "the execution waits in the outbox for its retry");

        // The provider declines: FAILED, with the reason, for finance to retry.
        let execute = |app: &TestApp| {
            let (db, gateway, queues) = (app.state.db.clone(), app.state.simulated_refunds.clone(), app.state.queues.clone());
            let id: uuid::Uuid = r["id"].as_str().unwrap().parse().unwrap();
            async move { orderly::service::refunds::execute::execute(&db, &*gateway, &queues, id).await.unwrap() }
        };
        assert!(matches!(execute(&app).await, orderly::service::refunds::execute::Executed::Declined(_)));
        let now = ok(&app, &fin1, REFUND, json!({ "id": r["id"] })).await["refund"].clone();
        assert_eq!((now["status"].as_str(), now["failureReason"].as_str()), (Some("FAILED"), Some("card expired")));

        // Sixteen finance clicks on "retry" at once: one retry.
        let retries = futures_util::future::join_all((0..16).map(|_| app.gql(&fin1, RETRY, json!({ "id": r["id"] })))).await;
        let accepted = retries.iter().filter(|resp| error_code(resp).is_none()).count();
        assert_eq!(accepted, 1, "{retries:?}");
        assert!(retries.iter().filter_map(|resp| error_code(resp)).all(|c| c == "CONFLICT" || c == "INVALID_TRANSITION"), "{retries:?}");

        // Sixteen workers executing it at once: one payout, one ledger row.
        let runs = futures_util::future::join_all((0..16).map(|_| execute(&app))).await;
        assert_eq!(runs.iter().filter(|o| matches!(o, orderly::service::refunds::execute::Executed::Paid)).count(), 1, "{runs:?}");
        work(&app).await; // the queued executions find it settled
        assert_eq!(app.state.simulated_refunds.payouts(), 1);
        assert_eq!(app.count("payments WHERE kind = 'REFUND'").await, 1);
        let now = ok(&app, &fin1, REFUND, json!({ "id": r["id"] })).await["refund"].clone();
        assert_eq!((now["status"].as_str(), now["failureReason"].as_str()), (Some("EXECUTED"), None));
        assert_eq!(now["order"]["paymentStatus"], "PARTIALLY_REFUNDED");
    }

    async fn cash_on_delivery_refunds_go_to_the_account_the_customer_gave(backend) {
        let app = quiet(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (cs, fin1, _) = staff(&app).await;
        let (o, tracking) = ship_one(&app, &wh, &warehouse_id, 30).await;
        let id = o["id"].as_str().unwrap();
        let too_early = app.gql(&cs, REQUEST, request(id, "10.00", "goodwill")).await;
        assert!(field_problems(&too_early).contains(&("amount".to_string(), "EXCEEDS_PAID".to_string())), "nothing is paid before the cash is collected: {too_early}");

        let secret = app.state.carrier_webhook_secret.expose().to_string();
        let delivered = json!({ "eventId": "d1", "trackingNumber": tracking, "status": "DELIVERED", "exceptionCode": null, "occurredAt": chrono::Utc::now().to_rfc3339() });
        assert_eq!(carrier_callback(&app, "SIMEX", &secret, chrono::Utc::now().timestamp(), delivered).await.0, 200);
        let now = ok(&app, &cs, ORDER, json!({ "id": id })).await["order"].clone();
        assert_eq!(now["paymentStatus"], "COD_COLLECTED");
        assert_eq!(now["payments"][0]["kind"], "COD_COLLECTED");

        let missing = app.gql(&cs, REQUEST, request(id, "10.00", "goodwill")).await;
        assert_eq!(problem(&missing).0, "REQUIRED_FOR_CASH_ON_DELIVERY");
        let mut with_account = request(id, "10.00", "goodwill");
        with_account["i"]["payoutReference"] = json!("<script>");
        assert_eq!(problem(&app.gql(&cs, REQUEST, with_account.clone()).await).0, "INVALID_PAYOUT_REFERENCE");
        with_account["i"]["payoutReference"] = json!("alipay 13900000030");
        let r = ok(&app, &cs, REQUEST, with_account).await["requestRefund"].clone();
        ok(&app, &fin1, APPROVE, json!({ "id": r["id"] })).await;
        work(&app).await;
        let done = ok(&app, &fin1, REFUND, json!({ "id": r["id"] })).await["refund"].clone();
        assert_eq!((done["status"].as_str(), done["payoutReference"].as_str()), (Some("EXECUTED"), Some("alipay 13900000030")));
        assert_eq!(done["order"]["paymentStatus"], "PARTIALLY_REFUNDED");
    }
}
