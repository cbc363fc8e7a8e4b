//! Live updates: a small client of the graphql-transport-ws protocol over the browser's
//! WebSocket, at `/graphql/ws`.
//!
//! One connection serves every subscription of the tab. It is opened when the first
//! subscription starts and closed a few seconds after the last one ends (so moving from the
//! order list to an order does not drop it). The connection authenticates once, with the
//! access token in `connection_init`; after a session refresh it reconnects with the new token.
//! A lost connection is re-opened with exponential backoff and every subscription is sent again;
//! subscribers then hear `Live { resumed: true }`, because events may have been missed in the
//! gap and what they show should be read again. A connection that stays quiet is probed with
//! `ping`, and one that no longer answers is replaced.

use crate::session::Auth;
use gloo_timers::callback::{Interval, Timeout};
use leptos::task::spawn_local;
use orderly_shared::ErrorCode;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

const PROTOCOL: &str = "graphql-transport-ws";
const PATH: &str = "/graphql/ws";
/// A server that has not acknowledged `connection_init` by then is given up on.
const ACK_TIMEOUT_MS: u32 = 10_000;
/// How often the connection is probed with `ping`; a probe unanswered by the next one ends it.
const HEARTBEAT_MS: u32 = 20_000;
/// How long the connection stays open after the last subscription ended.
const LINGER_MS: u32 = 5_000;
const BACKOFF_FIRST_MS: f64 = 500.0;
const BACKOFF_MAX_MS: f64 = 30_000.0;
/// Close code of a connection the client replaces (new token, dead connection).
const CLOSE_NORMAL: u16 = 1000;

/// What a subscriber hears.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// The subscription runs. `resumed` is true when it ran before and the connection was lost
    /// (or replaced) in between: events may have been missed, so read the data again.
    Live { resumed: bool },
    /// The connection was lost; it is being re-opened.
    Reconnecting,
    /// One result: the operation's `data` object.
    Data(Value),
    /// The server refused or ended the subscription; the message is for people.
    Failed(String),
}

/// A running subscription; dropping it ends it.
#[derive(Debug)]
pub struct Subscription {
    id: u32,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let id = self.id;
        with_hub(|hub| hub.unsubscribe(id));
    }
}

/// Starts a subscription: `query` is a GraphQL subscription document, `handler` hears its
/// events until the returned handle is dropped.
pub fn subscribe(
    auth: Auth,
    query: &str,
    variables: Value,
    handler: impl Fn(LiveEvent) + 'static,
) -> Subscription {
    let handler: Handler = Rc::new(handler);
    let id = with_hub(|hub| {
        hub.auth = Some(auth);
        hub.next_id += 1;
        let id = hub.next_id;
        hub.subs.insert(
            id,
            Sub {
                query: query.to_string(),
                variables,
                handler,
                started: false,
                active: true,
            },
        );
        hub.linger = None;
        if hub.socket.as_ref().is_some_and(|s| s.acked) {
            hub.start(id);
        } else {
            hub.ensure_connecting();
        }
        id
    });
    Subscription { id }
}

/// The session's access token changed (sign-in, refresh, sign-out): a connection authenticated
/// with another token is replaced, and signing out closes it.
pub fn session_changed(token: Option<String>) {
    with_hub(|hub| match token {
        None => {
            hub.retry = None;
            hub.close_socket();
        }
        Some(token) => {
            let stale = hub
                .socket
                .as_ref()
                .is_some_and(|s| s.token.as_deref() != Some(token.as_str()));
            if stale {
                hub.close_socket();
                hub.retry = None;
                hub.attempts = 0;
                hub.notify_all(LiveEvent::Reconnecting);
                hub.ensure_connecting();
            }
        }
    });
}

type Handler = Rc<dyn Fn(LiveEvent)>;

struct Sub {
    query: String,
    variables: Value,
    handler: Handler,
    /// Sent on some connection before (a later start is a resumption).
    started: bool,
    /// Not yet ended by the server.
    active: bool,
}

struct Socket {
    ws: WebSocket,
    /// The access token presented in `connection_init`.
    token: Option<String>,
    opened: bool,
    acked: bool,
    awaiting_pong: bool,
    ack_timer: Option<Timeout>,
    heartbeat: Option<Interval>,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Detach the handlers first: their closures are freed with this struct, and the browser
        // may still dispatch events of the closing socket.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(CLOSE_NORMAL);
    }
}

#[derive(Default)]
struct Hub {
    auth: Option<Auth>,
    subs: BTreeMap<u32, Sub>,
    next_id: u32,
    socket: Option<Socket>,
    /// Tells the current socket's events from those of sockets already replaced.
    generation: u32,
    /// A connect in progress (waiting for a token).
    connecting: bool,
    /// Failed connection attempts since the last acknowledged one.
    attempts: u32,
    retry: Option<Timeout>,
    linger: Option<Timeout>,
    /// The last connection opened but was refused: refresh the session before the next.
    refresh_first: bool,
    /// Callbacks to run once the hub is no longer borrowed.
    pending: Vec<(Handler, LiveEvent)>,
}

thread_local! {
    static HUB: RefCell<Hub> = RefCell::new(Hub::default());
}

/// Runs `f` on the hub, then delivers the events it queued. Handlers run outside the borrow, so
/// they may subscribe or drop subscriptions themselves.
fn with_hub<R>(f: impl FnOnce(&mut Hub) -> R) -> R {
    let (result, pending) = HUB.with(|hub| {
        let mut hub = hub.borrow_mut();
        let result = f(&mut hub);
        (result, std::mem::take(&mut hub.pending))
    });
    for (handler, event) in pending {
        handler(event);
    }
    result
}

impl Hub {
    fn notify(&mut self, id: u32, event: LiveEvent) {
        if let Some(sub) = self.subs.get(&id) {
            self.pending.push((sub.handler.clone(), event));
        }
    }

    fn notify_all(&mut self, event: LiveEvent) {
        for sub in self.subs.values().filter(|s| s.active) {
            self.pending.push((sub.handler.clone(), event.clone()));
        }
    }

    fn send(&self, text: &str) {
        if let Some(socket) = &self.socket
            && let Err(e) = socket.ws.send_with_str(text)
        {
            leptos::logging::warn!("live updates: could not send: {e:?}");
        }
    }

    /// Sends one subscription on the acknowledged connection.
    fn start(&mut self, id: u32) {
        let Some(sub) = self.subs.get_mut(&id) else {
            return;
        };
        if !sub.active {
            return;
        }
        let resumed = sub.started;
        sub.started = true;
        let text = protocol::subscribe(id, &sub.query, &sub.variables);
        self.send(&text);
        self.notify(id, LiveEvent::Live { resumed });
    }

    fn unsubscribe(&mut self, id: u32) {
        let Some(sub) = self.subs.remove(&id) else {
            return;
        };
        if sub.active && self.socket.as_ref().is_some_and(|s| s.acked) {
            self.send(&protocol::complete(id));
        }
        if self.subs.is_empty() {
            self.retry = None;
            self.linger = Some(Timeout::new(LINGER_MS, || {
                with_hub(|hub| {
                    hub.linger = None;
                    if hub.subs.is_empty() {
                        hub.close_socket();
                    }
                })
            }));
        }
    }

    fn close_socket(&mut self) {
        self.generation += 1;
        // Dropping the socket detaches its handlers and closes it.
        self.socket = None;
    }

    fn ensure_connecting(&mut self) {
        if self.socket.is_some() || self.connecting || self.retry.is_some() {
            return;
        }
        if !self.subs.values().any(|s| s.active) {
            return;
        }
        let Some(auth) = self.auth else { return };
        self.connecting = true;
        let refresh_first = std::mem::take(&mut self.refresh_first);
        spawn_local(connect(auth, refresh_first));
    }

    fn schedule_retry(&mut self) {
        let delay = backoff_ms(self.attempts, js_sys::Math::random());
        self.attempts = self.attempts.saturating_add(1);
        self.retry = Some(Timeout::new(delay, || {
            with_hub(|hub| {
                hub.retry = None;
                hub.ensure_connecting();
            })
        }));
    }

    fn on_open(&mut self, generation: u32) {
        if generation != self.generation {
            return;
        }
        let Some(socket) = self.socket.as_mut() else {
            return;
        };
        socket.opened = true;
        let init = protocol::connection_init(socket.token.as_deref());
        socket.ack_timer = Some(Timeout::new(ACK_TIMEOUT_MS, move || {
            with_hub(|hub| hub.lost(generation, "no connection_ack in time"))
        }));
        self.send(&init);
    }

    fn on_message(&mut self, generation: u32, text: &str) {
        if generation != self.generation {
            return;
        }
        match protocol::parse(text) {
            protocol::ServerMessage::ConnectionAck => {
                let Some(socket) = self.socket.as_mut() else {
                    return;
                };
                socket.acked = true;
                socket.ack_timer = None;
                socket.heartbeat = Some(Interval::new(HEARTBEAT_MS, move || {
                    with_hub(|hub| hub.beat(generation))
                }));
                self.attempts = 0;
                let ids: Vec<u32> = self.subs.keys().copied().collect();
                for id in ids {
                    self.start(id);
                }
            }
            protocol::ServerMessage::Ping => self.send(&protocol::pong()),
            protocol::ServerMessage::Pong => {
                if let Some(socket) = self.socket.as_mut() {
                    socket.awaiting_pong = false;
                }
            }
            protocol::ServerMessage::Next { id, payload } => {
                let Some(id) = self.known(&id) else { return };
                match protocol::result(payload) {
                    Ok(data) => self.notify(id, LiveEvent::Data(data)),
                    Err(message) => self.notify(id, LiveEvent::Failed(message)),
                }
            }
            protocol::ServerMessage::Error { id, message } => {
                let Some(id) = self.known(&id) else { return };
                if let Some(sub) = self.subs.get_mut(&id) {
                    sub.active = false;
                }
                self.notify(id, LiveEvent::Failed(message));
            }
            protocol::ServerMessage::Complete { id } => {
                let Some(id) = self.known(&id) else { return };
                let was_active = self.subs.get(&id).is_some_and(|s| s.active);
                if let Some(sub) = self.subs.get_mut(&id) {
                    sub.active = false;
                }
                if was_active {
                    self.notify(
                        id,
                        LiveEvent::Failed("The server ended live updates.".into()),
                    );
                }
            }
            protocol::ServerMessage::Other => {}
        }
    }

    /// The id of a subscription of this hub, from the protocol's string id.
    fn known(&self, id: &str) -> Option<u32> {
        id.parse().ok().filter(|id| self.subs.contains_key(id))
    }

    fn beat(&mut self, generation: u32) {
        if generation != self.generation {
            return;
        }
        let Some(socket) = self.socket.as_mut() else {
            return;
        };
        if socket.awaiting_pong {
            self.lost(generation, "no pong in time");
            return;
        }
        socket.awaiting_pong = true;
        self.send(&protocol::ping());
    }

    /// The connection ended (or is given up on): reconnect if anyone still listens.
    fn lost(&mut self, generation: u32, why: &str) {
        if generation != self.generation {
            return;
        }
        let (opened, acked) = self
            .socket
            .as_ref()
            .map(|s| (s.opened, s.acked))
            .unwrap_or_default();
        leptos::logging::log!("live updates: connection lost ({why})");
        self.close_socket();
        // Opened but refused before the acknowledgement: most likely the token. A server that
        // cannot be reached is retried without spending refresh tokens.
        self.refresh_first = opened && !acked;
        if self.subs.values().any(|s| s.active) {
            self.notify_all(LiveEvent::Reconnecting);
            self.schedule_retry();
        }
    }
}

/// Opens a connection with a current access token.
async fn connect(auth: Auth, refresh_first: bool) {
    let token = async {
        if refresh_first {
            auth.refresh().await?;
        }
        auth.access_token().await
    }
    .await;
    with_hub(|hub| {
        hub.connecting = false;
        if hub.socket.is_some() || !hub.subs.values().any(|s| s.active) {
            return;
        }
        let token = match token {
            Ok(token) => token,
            // The session is over; the console is on its way to the login page.
            Err(e) if e.is(ErrorCode::Unauthenticated) => return,
            Err(_) => {
                hub.notify_all(LiveEvent::Reconnecting);
                hub.schedule_retry();
                return;
            }
        };
        hub.generation += 1;
        let generation = hub.generation;
        match open(generation, token) {
            Ok(socket) => hub.socket = Some(socket),
            Err(e) => {
                leptos::logging::warn!("live updates: could not open a WebSocket: {e:?}");
                hub.schedule_retry();
            }
        }
    });
}

fn open(generation: u32, token: String) -> Result<Socket, wasm_bindgen::JsValue> {
    let ws = WebSocket::new_with_str(&endpoint()?, PROTOCOL)?;
    let on_open = Closure::<dyn FnMut()>::new(move || with_hub(|hub| hub.on_open(generation)));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(text) = event.data().as_string() {
            with_hub(|hub| hub.on_message(generation, &text));
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
        let why = format!("code {} {}", event.code(), event.reason());
        with_hub(|hub| hub.lost(generation, &why));
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    Ok(Socket {
        ws,
        token: Some(token),
        opened: false,
        acked: false,
        awaiting_pong: false,
        ack_timer: None,
        heartbeat: None,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    })
}

/// `ws://host/graphql/ws`, or `wss://` when the console is served over HTTPS.
fn endpoint() -> Result<String, wasm_bindgen::JsValue> {
    let location = web_sys::window()
        .ok_or_else(|| wasm_bindgen::JsValue::from_str("no window"))?
        .location();
    let scheme = if location.protocol()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Ok(format!("{scheme}://{}{PATH}", location.host()?))
}

/// Milliseconds before reconnect attempt `attempt` (0-based): doubling from half a second up to
/// half a minute, each spread over its upper half by `random` (0..1) so tabs do not stampede.
pub fn backoff_ms(attempt: u32, random: f64) -> u32 {
    let ceiling = (BACKOFF_FIRST_MS * 2f64.powi(attempt.min(16) as i32)).min(BACKOFF_MAX_MS);
    (ceiling * (0.5 + 0.5 * random.clamp(0.0, 1.0))) as u32
}

/// The wire format of graphql-transport-ws.
mod protocol {
    use super::*;

    #[derive(Debug, PartialEq)]
    pub enum ServerMessage {
        ConnectionAck,
        Ping,
        Pong,
        Next { id: String, payload: Value },
        Error { id: String, message: String },
        Complete { id: String },
        Other,
    }

    pub fn parse(text: &str) -> ServerMessage {
        let Ok(mut message) = serde_json::from_str::<Value>(text) else {
            return ServerMessage::Other;
        };
        let id = message
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let payload = message
            .get_mut("payload")
            .map(Value::take)
            .unwrap_or_default();
        match message.get("type").and_then(Value::as_str) {
            Some("connection_ack") => ServerMessage::ConnectionAck,
            Some("ping") => ServerMessage::Ping,
            Some("pong") => ServerMessage::Pong,
            Some("next") => ServerMessage::Next { id, payload },
            Some("error") => ServerMessage::Error {
                id,
                message: first_message(&payload),
            },
            Some("complete") => ServerMessage::Complete { id },
            _ => ServerMessage::Other,
        }
    }

    /// A `next` payload is a GraphQL response: its data, or why there is none.
    pub fn result(payload: Value) -> Result<Value, String> {
        match payload.get("data") {
            Some(data) if data.is_object() => Ok(data.clone()),
            _ => Err(first_message(payload.get("errors").unwrap_or(&Value::Null))),
        }
    }

    /// The first error's message from a list of GraphQL errors.
    fn first_message(errors: &Value) -> String {
        errors
            .get(0)
            .and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| "Live updates are not available.".into())
    }

    pub fn connection_init(token: Option<&str>) -> String {
        let payload = match token {
            Some(token) => json!({ "authorization": format!("Bearer {token}") }),
            None => json!({}),
        };
        json!({ "type": "connection_init", "payload": payload }).to_string()
    }

    pub fn subscribe(id: u32, query: &str, variables: &Value) -> String {
        json!({
            "id": id.to_string(),
            "type": "subscribe",
            "payload": { "query": query, "variables": variables },
        })
        .to_string()
    }

    pub fn complete(id: u32) -> String {
        json!({ "id": id.to_string(), "type": "complete" }).to_string()
    }

    pub fn ping() -> String {
        json!({ "type": "ping" }).to_string()
    }

    pub fn pong() -> String {
        json!({ "type": "pong" }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;
    use super::protocol::*;
    use serde_json::{Value, json};

    #[test]
    fn server_messages_are_read() {
        assert_eq!(
            parse(r#"{"type":"connection_ack"}"#),
            ServerMessage::ConnectionAck
        );
        assert_eq!(
            parse(r#"{"type":"ping","payload":{}}"#),
            ServerMessage::Ping
        );
        assert_eq!(
            parse(r#"{"id":"3","type":"next","payload":{"data":{"x":1}}}"#),
            ServerMessage::Next {
                id: "3".into(),
                payload: json!({ "data": { "x": 1 } })
            }
        );
        assert_eq!(
            parse(r#"{"id":"3","type":"error","payload":[{"message":"Forbidden."}]}"#),
            ServerMessage::Error {
                id: "3".into(),
                message: "Forbidden.".into()
            }
        );
        assert_eq!(
            parse(r#"{"id":"3","type":"complete"}"#),
            ServerMessage::Complete { id: "3".into() }
        );
        assert_eq!(parse("not json"), ServerMessage::Other);
        assert_eq!(parse(r#"{"type":"surprise"}"#), ServerMessage::Other);
    }

    #[test]
    fn a_next_payload_gives_its_data_or_its_first_error() {
        assert_eq!(
            result(json!({ "data": { "orderStatusChanged": { "to": "CONFIRMED" } } })),
            Ok(json!({ "orderStatusChanged": { "to": "CONFIRMED" } }))
        );
        assert_eq!(
            result(json!({ "data": null, "errors": [{ "message": "Not allowed." }] })),
            Err("Not allowed.".to_string())
        );
    }

    #[test]
    fn client_messages_follow_the_protocol() {
        let init: Value = serde_json::from_str(&connection_init(Some("abc"))).unwrap();
        assert_eq!(
            init,
            json!({ "type": "connection_init", "payload": { "authorization": "Bearer abc" } })
        );
        let sub: Value =
            serde_json::from_str(&subscribe(7, "subscription { x }", &json!({ "a": 1 }))).unwrap();
        assert_eq!(
            sub,
            json!({ "id": "7", "type": "subscribe",
                    "payload": { "query": "subscription { x }", "variables": { "a": 1 } } })
        );
        assert_eq!(
            serde_json::from_str::<Value>(&complete(7)).unwrap(),
            json!({ "id": "7", "type": "complete" })
        );
        assert_eq!(
            serde_json::from_str::<Value>(&pong()).unwrap(),
            json!({ "type": "pong" })
        );
    }

    #[test]
    fn reconnects_back_off_exponentially_up_to_a_ceiling() {
        assert_eq!(backoff_ms(0, 1.0), 500);
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(1, 1.0), 1_000);
        assert_eq!(backoff_ms(3, 1.0), 4_000);
        assert_eq!(backoff_ms(10, 1.0), 30_000);
        assert_eq!(backoff_ms(u32::MAX, 0.0), 15_000);
    }
}
