//! Staff users: the paged table with per-user role editing and (de)activation, and the form
//! that creates a user.

use super::PAGE;
use crate::api::types::{CreateUserInput, User};
use crate::api::{ApiError, ops};
use crate::components::feedback::{ErrorAlert, LoadMore, SuccessAlert};
use crate::components::form::{FormError, RoleChoice, TextField};
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{ErrorCode, FieldProblem, Role};

/// The users' passwords must be at least this long (the server checks it too).
const MIN_PASSWORD_CHARS: usize = 12;

/// Puts a user the server just returned into the list: in place if listed; a new one where the
/// server lists it (last, oldest first) when every page is loaded, else on top, so it is seen.
fn upsert(list: &mut Vec<User>, user: User, complete: bool) {
    match list.iter_mut().find(|u| u.id == user.id) {
        Some(slot) => *slot = user,
        None if complete => list.push(user),
        None => list.insert(0, user),
    }
}

#[component]
pub fn UsersSection(changes: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let users = RwSignal::new(Vec::<User>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let load = move |after: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let after = after.clone();
                    async move { ops::users(&token, PAGE, after).await }
                })
                .await;
            match result {
                Ok(page) => {
                    users.update(|list| {
                        if first_page {
                            list.clear();
                        }
                        for user in page.nodes {
                            if !list.iter().any(|u| u.id == user.id) {
                                list.push(user);
                            }
                        }
                    });
                    cursor.set(page.page_info.end_cursor);
                    has_more.set(page.page_info.has_next_page);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };
    load(None);

    let on_changed = Callback::new(move |user: User| {
        let complete = !has_more.get_untracked();
        users.update(|list| upsert(list, user, complete));
        changes.update(|n| *n += 1);
    });
    let me = Memo::new(move |_| auth.user().map(|u| u.id));

    view! {
        <section class="card" aria-labelledby="users-title">
            <div class="card-header">
                <h2 id="users-title">"Users"</h2>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"User"</th>
                            <th scope="col">"Roles"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || users.get()
                            key=|user| user.clone()
                            children=move |user| {
                                let is_self = me.get_untracked().as_deref() == Some(user.id.as_str());
                                view! { <UserRow user=user is_self=is_self on_changed=on_changed /> }
                            }
                        />
                    </tbody>
                </table>
            </div>
            <Show when=move || users.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)>
                <p class="muted">"No users yet."</p>
            </Show>
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
        <CreateUserForm on_created=on_changed />
    }
}

/// One user in the table, with its actions.
#[component]
fn UserRow(user: User, is_self: bool, on_changed: Callback<User>) -> impl IntoView {
    let auth = use_auth();
    let editing = RwSignal::new(false);
    let selected = RwSignal::new(user.roles.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = user.id.clone();
    let active = user.active;

    // Runs one change of this user and reports it, or shows why it failed.
    let run = {
        let id = id.clone();
        move |change: Change| {
            let id = id.clone();
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                let result = auth
                    .call(|token| {
                        let (id, change) = (id.clone(), change.clone());
                        async move {
                            match change {
                                Change::Roles(roles) => {
                                    ops::set_user_roles(&token, &id, &roles).await
                                }
                                Change::Active(on) => ops::set_user_active(&token, &id, on).await,
                            }
                        }
                    })
                    .await;
                busy.set(false);
                match result {
                    Ok(user) => {
                        editing.set(false);
                        on_changed.run(user);
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        }
    };
    let save_roles = {
        let run = run.clone();
        move |_| {
            let roles = selected.get_untracked();
            if roles.is_empty() {
                error.set(Some("Choose at least one role.".into()));
                return;
            }
            run(Change::Roles(roles));
        }
    };
    let toggle_active = move |_| run(Change::Active(!active));
    let roles_text = format::roles(&user.roles);
    let original_roles = user.roles.clone();

    view! {
        <tr class:inactive=!active>
            <td>
                <span class="cell-primary">
                    {user.display_name.clone()}
                    {is_self.then(|| view! { <span class="badge badge-muted">"you"</span> })}
                </span>
                <span class="cell-secondary">
                    <Email address=user.email.clone() />
                </span>
            </td>
            <td>
                <Show when=move || editing.get() fallback=move || roles_text.clone()>
                    <fieldset class="inline-roles">
                        <legend class="sr-only">{format!("Roles of {}", user.email)}</legend>
                        <RoleChoice id_prefix=format!("roles-{id}") selected=selected />
                    </fieldset>
                </Show>
            </td>
            <td>
                {if active {
                    view! { <span class="badge badge-ok">"Active"</span> }
                } else {
                    view! { <span class="badge badge-muted">"Deactivated"</span> }
                }}
            </td>
            <td>
                <div class="actions">
                    <Show
                        when=move || editing.get()
                        fallback=move || {
                            view! {
                                <button
                                    type="button"
                                    class="btn btn-small btn-secondary"
                                    disabled=busy
                                    on:click=move |_| editing.set(true)
                                >
                                    "Edit roles"
                                </button>
                            }
                        }
                    >
                        <button
                            type="button"
                            class="btn btn-small btn-primary"
                            disabled=busy
                            on:click=save_roles.clone()
                        >
                            "Save roles"
                        </button>
                        <button
                            type="button"
                            class="btn btn-small btn-secondary"
                            on:click={
                                let original = original_roles.clone();
                                move |_| {
                                    selected.set(original.clone());
                                    error.set(None);
                                    editing.set(false);
                                }
                            }
                        >
                            "Cancel"
                        </button>
                    </Show>
                    {(!is_self)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class=if active { "btn btn-small btn-danger" } else { "btn btn-small btn-secondary" }
                                    disabled=busy
                                    on:click=toggle_active.clone()
                                >
                                    {if active { "Deactivate" } else { "Reactivate" }}
                                </button>
                            }
                        })}
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
            </td>
        </tr>
    }
}

#[derive(Clone)]
enum Change {
    Roles(Vec<Role>),
    Active(bool),
}

/// The fields of the create-user form, for placing the server's field problems.
const CREATE_FIELDS: &[&str] = &["email", "displayName", "password", "roles"];

#[component]
fn CreateUserForm(on_created: Callback<User>) -> impl IntoView {
    let auth = use_auth();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let field = move |name: &'static str| {
        Signal::derive(move || {
            error.with(|e| e.as_ref().map(|e| e.field(name)).unwrap_or_default())
        })
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        created.set(None);
        let input = CreateUserInput {
            email: email.get_untracked().trim().to_string(),
            display_name: name.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            roles: roles.get_untracked(),
        };
        // The two rules the console knows answer at once; the server checks everything.
        let mut problems = Vec::new();
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            problems.push(FieldProblem::new(
                "password",
                "TOO_SHORT",
                format!("Use at least {MIN_PASSWORD_CHARS} characters."),
            ));
        }
        if input.roles.is_empty() {
            problems.push(FieldProblem::new(
                "roles",
                "REQUIRED",
                "Choose at least one role.",
            ));
        }
        if !problems.is_empty() {
            error.set(Some(ApiError {
                code: Some(ErrorCode::Validation),
                message: "Please correct the highlighted fields.".into(),
                fields: problems,
            }));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::create_user(&token, &input).await }
                })
                .await;
            busy.set(false);
            match result {
                Ok(user) => {
                    created.set(Some(format!(
                        "Created {} ({}). They can sign in now.",
                        user.email,
                        format::roles(&user.roles)
                    )));
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    roles.set(Vec::new());
                    on_created.run(user);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let roles_error = field("roles");

    view! {
        <section class="card" aria-labelledby="create-user-title">
            <h2 id="create-user-title">"Create user"</h2>
            <form class="form-grid" on:submit=on_submit novalidate aria-labelledby="create-user-title">
                <TextField
                    id="new-user-email"
                    label="Email"
                    input_type="email"
                    autocomplete="off"
                    value=email
                    errors=field("email")
                />
                <TextField
                    id="new-user-name"
                    label="Display name"
                    autocomplete="off"
                    value=name
                    errors=field("displayName")
                />
                <TextField
                    id="new-user-password"
                    label="Password"
                    input_type="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. Share it with the person securely."
                    value=password
                    errors=field("password")
                />
                <fieldset
                    class="field role-choice"
                    class:has-error=move || roles_error.with(|e| !e.is_empty())
                >
                    <legend>"Roles"</legend>
                    <RoleChoice id_prefix="new-user-role".to_string() selected=roles />
                    <Show when=move || roles_error.with(|e| !e.is_empty())>
                        <p class="field-error">{move || roles_error.get().join(" ")}</p>
                    </Show>
                </fieldset>
                <FormError error=error fields=CREATE_FIELDS />
                <SuccessAlert message=created />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        "Create user"
                    </button>
                </div>
            </form>
        </section>
    }
}
