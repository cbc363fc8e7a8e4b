//! Walks the whole permission table: every operation × every subject (each staff role, a
//! partner key, nobody) must be allowed or refused exactly as `orderly_shared::Operation` says.

use crate::helpers::*;
use orderly_shared::{Operation, Role, Subject};
use serde_json::{Value, json};

/// A GraphQL document exercising `op`, with its variables. The match is exhaustive, so a new
/// operation cannot be added to the table without being walked here.
fn document(op: Operation, n: usize, target_user: &str, target_key: &str) -> (String, Value) {
    let (query, vars) = match op {
        Operation::ReadOwnProfile => ("{ me { email } }", json!({})),
        Operation::ChangeOwnPassword => (
            "mutation { changePassword(currentPassword: \"definitely wrong\", newPassword: \"long enough password\") }",
            json!({}),
        ),
        Operation::ReadUsers => ("{ users(first: 5) { nodes { email roles } } }", json!({})),
        Operation::CreateUser => (
            "mutation($e: String!) { createUser(input: { email: $e, displayName: \"P\", password: \"long enough password\", roles: [FINANCE] }) { id } }",
            json!({ "e": format!("walk{n}@shop.example") }),
        ),
        Operation::SetUserRoles => (
            "mutation($id: ID!) { setUserRoles(id: $id, roles: [FINANCE, REVIEWER]) { roles } }",
            json!({ "id": target_user }),
        ),
        Operation::SetUserActive => (
            "mutation($id: ID!) { reactivateUser(id: $id) { active } }",
            json!({ "id": target_user }),
        ),
        Operation::ReadApiKeys => ("{ apiKeys { nodes { prefix channel } } }", json!({})),
        Operation::CreateApiKey => (
            "mutation { createApiKey(channel: \"walk\") { key } }",
            json!({}),
        ),
        Operation::RevokeApiKey => (
            "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }",
            json!({ "id": target_key }),
        ),
        Operation::ReadAuditLog => ("{ auditLog(first: 3) { nodes { action } } }", json!({})),
        Operation::WatchAuditLog => ("subscription { auditLogAppended { action } }", json!({})),
        Operation::ReadOrders => ("{ orders(first: 2) { nodes { number } } }", json!({})),
        Operation::PlaceOrder => (
            "mutation($k: String!) { placeOrder(input: { idempotencyKey: $k, customer: { name: \"A\", email: \"a@b.example\" }, shippingAddress: { recipient: \"A\", phone: \"13800138000\", country: \"CN\", city: \"X\", line1: \"Y\" }, paymentMethod: PREPAID, lines: [] }) { id } }",
            json!({ "k": format!("walk-{n}") }),
        ),
        Operation::WatchOrders => ("subscription { orderStatusChanged { to } }", json!({})),
        Operation::ReadCatalog => (
            "{ products(first: 2) { nodes { sku price { amount } } } }",
            json!({}),
        ),
        Operation::ReadCustomers => ("{ customers(first: 2) { nodes { email } } }", json!({})),
        Operation::ManageCoupons => ("{ coupons { nodes { code } } }", json!({})),
        Operation::SimulatePayment => (
            "mutation { simulatePayment(orderNumber: \"OR000000-AAAAAA\", outcome: SUCCEEDED) }",
            json!({}),
        ),
        Operation::ReadStock => (
            "{ stockLevels(first: 2) { nodes { sku onHand } } }",
            json!({}),
        ),
        Operation::ChangeStock => (
            "mutation { receiveStock(input: { warehouse: \"NOPE\", bin: \"A-01-01-1\", sku: \"WALK-1\", quantity: 1, reason: \"walk\" }) { onHand } }",
            json!({}),
        ),
        Operation::ReadReviewQueue => ("{ reviewQueue(first: 2) { nodes { number } } }", json!({})),
        Operation::ReviewOrders => (
            "mutation { approveOrder(id: \"00000000-0000-7000-8000-000000000000\") { status } }",
            json!({}),
        ),
        Operation::VerifyOrders => (
            "mutation { releaseHold(id: \"00000000-0000-7000-8000-000000000000\", codes: [REMOTE_AREA], note: \"called\") { status } }",
            json!({}),
        ),
        Operation::CancelOrders => (
            "mutation { cancelOrder(id: \"00000000-0000-7000-8000-000000000000\", reason: \"walk\") { status } }",
            json!({}),
        ),
        Operation::ManageRisk => ("{ riskRules { name weight } }", json!({})),
        Operation::ManageAllocation => ("{ allocationRules { name } }", json!({})),
        Operation::ReadStockouts => ("{ unmetDemand { sku } }", json!({})),
        Operation::ManageStockPolicy => (
            "mutation { setStockPolicy(policy: HOLD, backorderDays: 3) { policy } }",
            json!({}),
        ),
        Operation::ManageFulfilmentSetup => (
            "mutation { savePackaging(input: { code: \"WALK\", name: \"Walk\", kind: CARTON, innerLengthMm: 100, innerWidthMm: 100, innerHeightMm: 100, maxWeightG: 1000, tareWeightG: 10, cost: \"1.00\", currency: \"CNY\" }) { code } }",
            json!({}),
        ),
        Operation::ManageWaves => ("{ waves(first: 2) { nodes { number } } }", json!({})),
        Operation::PickStock => (
            "mutation { scanPick(taskId: \"00000000-0000-7000-8000-000000000000\", code: \"A-01-01-1\") { message } }",
            json!({}),
        ),
        Operation::PackShipments => (
            "mutation { packScan(shipmentId: \"00000000-0000-7000-8000-000000000000\", code: \"WALK-1\") { complete } }",
            json!({}),
        ),
        Operation::HandOverParcels => ("{ manifests(first: 2) { nodes { number } } }", json!({})),
        Operation::CountStock => ("{ cycleCounts(first: 2) { nodes { sku } } }", json!({})),
        Operation::SimulateCarrierEvents => (
            "mutation { simulateCarrierEvents(carrierCode: \"SIMEX\", trackingNumber: \"SIM0000000000\", scenario: DELIVERED) }",
            json!({}),
        ),
        Operation::ReadRefunds => ("{ refunds(first: 2) { nodes { id } } }", json!({})),
        Operation::ReadPayments => ("{ payments(first: 2) { nodes { id } } }", json!({})),
        Operation::ReconcileCod => ("{ codBalances { carrier } }", json!({})),
        Operation::ReadAnalytics => ("{ analytics { holds { orders } } }", json!({})),
        Operation::RequestRefunds => (
            "mutation { requestRefund(input: { orderId: \"00000000-0000-7000-8000-000000000000\", amount: \"1.00\", reason: \"walk\" }) { id } }",
            json!({}),
        ),
        Operation::DecideRefunds => (
            "mutation { approveRefund(id: \"00000000-0000-7000-8000-000000000000\") { id } }",
            json!({}),
        ),
        Operation::ManageRefundPolicy => (
            "mutation { setRefundPolicy(secondApprovalAbove: [{ amount: \"1000.00\", currency: \"CNY\" }]) { secondApprovalAbove { amount } } }",
            json!({}),
        ),
        Operation::ConfirmReceipt => (
            "mutation { confirmReceipt(orderId: \"00000000-0000-7000-8000-000000000000\") { status } }",
            json!({}),
        ),
        Operation::RateOrders => (
            "mutation { rateOrder(orderId: \"00000000-0000-7000-8000-000000000000\", score: 5) { score } }",
            json!({}),
        ),
        Operation::ReadExceptions => ("{ exceptionTasks(first: 2) { nodes { id } } }", json!({})),
        Operation::WorkExceptions => (
            "mutation { recordExceptionContact(taskId: \"00000000-0000-7000-8000-000000000000\", party: CUSTOMER, note: \"walk\") { id } }",
            json!({}),
        ),
        Operation::ReadCases => ("{ afterSalesCases(first: 2) { nodes { id } } }", json!({})),
        Operation::OpenCases => (
            "mutation { openAfterSalesCase(input: { orderId: \"00000000-0000-7000-8000-000000000000\", reason: WRONG_ITEM, kind: EXCHANGE, lines: [] }) { id } }",
            json!({}),
        ),
        Operation::DecideCases => (
            "mutation { rejectAfterSalesCase(id: \"00000000-0000-7000-8000-000000000000\", reason: \"walk\") { id } }",
            json!({}),
        ),
        Operation::ReceiveReturns => (
            "mutation { receiveReturn(trackingNumber: \"SIM0000000000\") { id } }",
            json!({}),
        ),
        Operation::ManageAfterSalesPolicy => (
            "mutation { setAfterSalesPolicy(noReasonReturnDays: 7, shippingRefund: MERCHANT_FAULT) { noReasonReturnDays } }",
            json!({}),
        ),
        Operation::ManageWebhooks => (
            "{ webhookDeliveries(first: 2) { nodes { id status } } }",
            json!({}),
        ),
    };
    (query.to_string(), vars)
}

fn is_subscription(op: Operation) -> bool {
    matches!(op, Operation::WatchAuditLog | Operation::WatchOrders)
}

/// Makes something happen that the subscription `op` reports.
async fn trigger(app: &TestApp, op: Operation, n: usize, partner: &As) {
    match op {
        Operation::WatchOrders => {
            let input = json!({
                "idempotencyKey": format!("event-{n}"),
                "customer": { "name": "Li", "email": "li@example.com" },
                "shippingAddress": { "recipient": "Li", "phone": "13800138000", "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": "1 Road", "postalCode": "200120" },
                "paymentMethod": "PREPAID",
                "lines": [{ "sku": "WALK-1", "quantity": 1 }]
            });
            let q = "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }";
            let resp = app.gql(partner, q, json!({ "i": input })).await;
            assert_eq!(error_code(&resp), None, "{resp}");
        }
        _ => {
            app.user_with(&format!("event{n}@shop.example"), &[Role::Finance])
                .await;
        }
    }
}

/// Runs `op` as `who` and returns the first error code (None when it succeeded).
async fn attempt(
    app: &TestApp,
    who: &As,
    op: Operation,
    n: usize,
    user: &str,
    key: &str,
    partner: &As,
) -> Option<String> {
    let (query, vars) = document(op, n, user, key);
    if !is_subscription(op) {
        return error_code(&app.gql(who, &query, vars).await).map(str::to_string);
    }
    let payload = match who {
        As::Anonymous => json!({}),
        As::Bearer(t) => json!({ "authorization": format!("Bearer {t}") }),
        As::ApiKey(k) => json!({ "apiKey": k }),
    };
    let mut ws = app.ws(payload).await.expect("ws connects");
    ws.subscribe("1", &query).await;
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    // An allowed subscriber receives the next event; a refused one gets its error at once.
    trigger(app, op, n, partner).await;
    let answer = ws.next_payload(10).await.expect("an answer");
    error_code(&answer).map(str::to_string)
}

each_backend! {
    async fn every_operation_is_allowed_or_forbidden_exactly_as_the_table_says(backend) {
        // Demo mode, so that the demo-only payment simulator is reachable too.
        let app = TestApp::spawn_with(backend, |c| c.demo_mode = true).await;
        let target_user = app.user_with("target@shop.example", &[Role::Warehouse]).await;
        let (_, target_key) = app.api_key("target-channel").await;
        app.product("WALK-1", 1000, "CNY").await;
        let partner = As::ApiKey(app.partner_key("partner-walk").await);
        let mut subjects: Vec<(Subject, As)> = Vec::new();
        for (i, subject) in Subject::ALL.into_iter().enumerate() {
            let who = match subject {
                Subject::Staff(role) => app.signed_in(&format!("subject{i}@shop.example"), &[role]).await.bearer(),
                Subject::Partner => partner.clone(),
            };
            subjects.push((subject, who));
        }

        let mut n = 0;
        let mut checked = 0;
        for op in Operation::ALL {
            for (subject, who) in &subjects {
                n += 1;
                let code = attempt(&app, who, op, n, &target_user, &target_key, &partner).await;
                if op.allows(*subject) {
                    assert!(
                        !matches!(code.as_deref(), Some("FORBIDDEN" | "UNAUTHENTICATED")),
                        "{op:?} should be allowed for {subject:?}, got {code:?}"
                    );
                } else {
                    assert_eq!(code.as_deref(), Some("FORBIDDEN"), "{op:?} should be forbidden for {subject:?}");
                }
                checked += 1;
            }
            n += 1;
            let anonymous = attempt(&app, &As::Anonymous, op, n, &target_user, &target_key, &partner).await;
            assert_eq!(anonymous.as_deref(), Some("UNAUTHENTICATED"), "{op:?} without credentials");
        }
        assert_eq!(checked, Operation::ALL.len() * Subject::ALL.len());
    }
}
