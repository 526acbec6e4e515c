//! The architecture editor's panel: draws `live::editor::Editor` as labelled fields, each with the core's message beside it.
//!
//! Fields are built once per tree shape, so typing never rebuilds the input under
//! the caret; only tree changes, undo and redo rebuild the form, and focus is put
//! back on the field that had it.

use super::UiLocale;
use super::state::Explainer;
use crate::i18n::problem_text;
use crate::i18n::{Key, Locale};
use crate::live::editor::{
    CALL_MODES, Choices, Editor, EventField, Field, KindField, PATTERNS, ServiceField, TIME_KINDS,
    Travel, WorkloadField, param_key, time_params,
};
use leptos::prelude::*;

/// The editor's signals, shared by the panel's parts.
#[derive(Clone, Copy)]
struct Ed {
    editor: RwSignal<Editor>,
    /// Bumped when the form must be rebuilt: a tree change, undo, redo or a new start.
    generation: RwSignal<u64>,
    /// What the last Apply, undo or redo did to the run, said once.
    status: RwSignal<Option<String>>,
    explainer: Explainer,
    locale: ReadSignal<Locale>,
}

impl Ed {
    fn set(&self, field: Field, text: &str) {
        self.editor.update(|e| e.set(field, text));
    }

    /// A change that rebuilds the form; focus returns to the field that had it.
    fn rebuild(&self, change: impl FnOnce(&mut Editor)) {
        keep_focus();
        self.editor.update(change);
        self.generation.update(|g| *g += 1);
    }

    /// Adds a callee under `parent` and puts the caret in its name, the next thing to type.
    fn add_callee(&self, parent: usize) {
        let added = self.editor.try_update(|e| e.add_callee(parent)).flatten();
        if let Some(added) = added {
            focus_after_rebuild(field_id(Field::Service(added, ServiceField::Name)));
            self.generation.update(|g| *g += 1);
        }
    }

    /// Removes `service` and its callees; focus goes to its caller's "Add a callee".
    fn remove(&self, service: usize) {
        let caller = self.editor.with_untracked(|e| e.caller_name(service));
        self.editor.update(|e| e.remove_service(service));
        let at = caller.and_then(|name| {
            self.editor
                .with_untracked(|e| e.draft().service_index(&name))
        });
        focus_after_rebuild(format!("ed-add-under-{}", at.unwrap_or(0)));
        self.generation.update(|g| *g += 1);
    }

    fn apply(&self) {
        let Some(result) = self.editor.try_update(Editor::apply) else {
            return;
        };
        match result {
            Ok(scenario) => {
                self.explainer.open_scenario(scenario);
                let text = self.locale.get_untracked().text(Key::EditorApplied);
                self.status.set(Some(text.to_string()));
            }
            Err(error) => {
                let l = self.locale.get_untracked();
                let problem = problem_text(&error.problem, l);
                let text = l.fill(
                    Key::EditorInvalid,
                    &[("field", &error.field), ("problem", &problem)],
                );
                self.status.set(Some(text));
            }
        }
    }

    fn travel(&self, step: fn(&mut Editor) -> Travel) {
        keep_focus();
        let travel = self.editor.try_update(step).unwrap_or(Travel::Nothing);
        if travel == Travel::Nothing {
            return;
        }
        self.status.set(None);
        if let Travel::Restart(scenario) = travel {
            let l = self.locale.get_untracked();
            let text = l.fill(Key::EditorTravelled, &[("name", &scenario.name)]);
            // The editor already stands at this scenario, so following it adds no step.
            self.explainer.open_scenario(*scenario);
            self.status.set(Some(text));
        }
        self.generation.update(|g| *g += 1);
    }
}

/// The id of the element with focus, if it has one.
fn focused_id() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document
        .active_element()
        .map(|e| e.id())
        .filter(|id| !id.is_empty())
}

/// Focuses the element with `id` once the rebuilt form is drawn (the next frame).
fn focus_after_rebuild(id: String) {
    request_animation_frame(move || {
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(element) = document.and_then(|d| d.get_element_by_id(&id)) {
            super::focus_element(&element);
        }
    });
}

/// Remembers which field has focus and gives it back after the form is rebuilt.
fn keep_focus() {
    if let Some(id) = focused_id() {
        focus_after_rebuild(id);
    }
}

/// A DOM id (and test id) for a field, stable across rebuilds.
fn field_id(field: Field) -> String {
    match field {
        Field::Service(s, f) => format!("ed-s{s}-{}", service_field_id(f)),
        Field::Kind(k, KindField::Name) => format!("ed-k{k}-name"),
        Field::Kind(k, KindField::Weight) => format!("ed-k{k}-weight"),
        Field::Workload(f) => format!("ed-w-{f:?}").to_lowercase(),
        Field::Event(EventField::Instances(s)) => format!("ed-e-instances-{s}"),
        Field::Event(f) => format!("ed-e-{f:?}").to_lowercase(),
    }
}

fn service_field_id(field: ServiceField) -> String {
    match field {
        ServiceField::TimeParam(i) => format!("time{i}"),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// A labelled text input for `field`, with the core's problem beside it.
fn text_field(
    ed: Ed,
    field: Field,
    label: impl Fn(Locale) -> String + Send + Sync + 'static,
) -> impl IntoView {
    let id = field_id(field);
    let problem_id = format!("{id}-problem");
    let value = ed.editor.with_untracked(|e| e.text(field));
    let problem = move || {
        let l = ed.locale.get();
        ed.editor
            .with(|e| e.problem_at(field))
            .map(|p| problem_text(&p, l))
    };
    view! {
        <label class="field">
            <span>{move || label(ed.locale.get())}</span>
            <input
                type="text"
                id=id.clone()
                data-testid=id
                prop:value=value
                autocomplete="off"
                aria-invalid=move || problem().is_some().to_string()
                aria-describedby=problem_id.clone()
                on:input=move |ev| ed.set(field, &event_target_value(&ev))
            />
            <span class="field-problem" id=problem_id>{problem}</span>
        </label>
    }
}

/// A labelled choice for `field` among `options` (serde name, label key); a change rebuilds the form.
fn choice_field(ed: Ed, field: Field, label: Key, options: &'static Choices) -> impl IntoView {
    let id = field_id(field);
    let value = ed.editor.with_untracked(|e| e.text(field));
    let choices = options
        .iter()
        .map(|&(name, key)| {
            let selected = name == value;
            view! { <option value=name selected=selected>{move || ed.locale.get().text(key)}</option> }
        })
        .collect_view();
    view! {
        <label class="field">
            <span>{move || ed.locale.get().text(label)}</span>
            <select
                id=id.clone()
                data-testid=id
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    ed.rebuild(|e| e.set(field, &text));
                }
            >
                {choices}
            </select>
        </label>
    }
}

fn key_label(key: Key) -> impl Fn(Locale) -> String + Send + Sync + 'static {
    move |l: Locale| l.text(key).to_string()
}

/// One service: its fields, and the buttons that change the tree under it.
fn service_fieldset(ed: Ed, service: usize, level: usize) -> impl IntoView {
    let field = move |f: ServiceField| Field::Service(service, f);
    let name = move || ed.editor.with(|e| e.text(field(ServiceField::Name)));
    let params = ed
        .editor
        .with_untracked(|e| time_params(&e.draft().services[service].service_time_ms));
    let param_fields = (0..params.len())
        .map(|i| {
            text_field(
                ed,
                field(ServiceField::TimeParam(i as u8)),
                key_label(param_key(params[i])),
            )
        })
        .collect_view();
    let add_problem = move || {
        let l = ed.locale.get();
        ed.editor
            .with(|e| {
                e.cannot_add_under(service)
                    .or_else(|| e.tree_blocked().map(|err| err.problem))
            })
            .map(|p| problem_text(&p, l))
    };
    let blocked = move || ed.editor.with(|e| e.tree_blocked().is_some());
    let entry = service == 0;
    view! {
        <fieldset class=format!("ed-service level-{level}") data-testid=format!("ed-service-{service}")>
            <legend>
                {name}
                {entry.then(|| view! { <span class="badge">{move || ed.locale.get().text(Key::EditorEntry)}</span> })}
            </legend>
            {text_field(ed, field(ServiceField::Name), key_label(Key::FieldName))}
            {text_field(ed, field(ServiceField::Workers), key_label(Key::FieldWorkers))}
            {text_field(ed, field(ServiceField::QueueCapacity), key_label(Key::FieldQueue))}
            {choice_field(ed, field(ServiceField::TimeKind), Key::FieldTimeKind, TIME_KINDS)}
            {param_fields}
            {text_field(ed, field(ServiceField::ErrorRate), key_label(Key::FieldErrorRate))}
            {choice_field(ed, field(ServiceField::CallMode), Key::FieldCallMode, CALL_MODES)}
            {(!entry).then(|| text_field(ed, field(ServiceField::Effect), key_label(Key::FieldEffect)))}
            <div class="ed-actions">
                <button type="button" id=format!("ed-add-under-{service}") data-testid=format!("ed-add-under-{service}")
                    disabled=move || add_problem().is_some() title=move || add_problem().unwrap_or_default()
                    on:click=move |_| ed.add_callee(service)>
                    {move || ed.locale.get().text(Key::AddCallee)}
                </button>
                {(!entry).then(|| view! {
                    <button type="button" id=format!("ed-remove-{service}") data-testid=format!("ed-remove-{service}") disabled=blocked
                        on:click=move |_| ed.remove(service)>
                        {move || ed.locale.get().text(Key::RemoveService)}
                    </button>
                })}
            </div>
        </fieldset>
    }
}

/// One request kind: name, weight and the services it touches.
fn kind_fieldset(ed: Ed, kind: usize, services: Vec<usize>) -> impl IntoView {
    let touches = services
        .into_iter()
        .filter(|&s| s != 0)
        .map(|s| {
            let name = move || {
                ed.editor.with(|e| {
                    e.draft()
                        .services
                        .get(s)
                        .map(|x| x.name.clone())
                        .unwrap_or_default()
                })
            };
            view! {
                <label class="touch">
                    <input type="checkbox" data-testid=format!("ed-k{kind}-touch-{s}")
                        prop:checked=move || ed.editor.with(|e| e.touches(kind, s))
                        on:change=move |_| ed.editor.update(|e| e.toggle_touch(kind, s)) />
                    {name}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="ed-kind" data-testid=format!("ed-kind-{kind}")>
            <legend>{move || ed.editor.with(|e| e.text(Field::Kind(kind, KindField::Name)))}</legend>
            {text_field(ed, Field::Kind(kind, KindField::Name), key_label(Key::FieldName))}
            {text_field(ed, Field::Kind(kind, KindField::Weight), key_label(Key::FieldWeight))}
            <div class="touches" role="group" aria-label=move || ed.locale.get().text(Key::FieldTouches)>
                <span>{move || ed.locale.get().text(Key::FieldTouches)}</span>
                {touches}
            </div>
            <button type="button" data-testid=format!("ed-remove-kind-{kind}")
                on:click=move |_| ed.rebuild(|e| e.remove_kind(kind))>
                {move || ed.locale.get().text(Key::RemoveKind)}
            </button>
        </fieldset>
    }
}

/// The workload and the event world's shape.
fn workload_and_event(ed: Ed, bursty: bool, groups: Vec<usize>) -> impl IntoView {
    let w = Field::Workload;
    let bursts = bursty.then(|| {
        view! {
            {text_field(ed, w(WorkloadField::BurstRate), key_label(Key::FieldBurstRate))}
            {text_field(ed, w(WorkloadField::EveryMs), key_label(Key::FieldEveryMs))}
            {text_field(ed, w(WorkloadField::BurstMs), key_label(Key::FieldBurstMs))}
        }
    });
    let instances = groups
        .into_iter()
        .map(|g| {
            let label = move |l: Locale| {
                let name = ed
                    .editor
                    .with(|e| e.text(Field::Service(g, ServiceField::Name)));
                l.fill(Key::FieldInstances, &[("name", &name)])
            };
            text_field(ed, Field::Event(EventField::Instances(g)), label)
        })
        .collect_view();
    view! {
        <fieldset class="ed-workload" data-testid="ed-workload">
            <legend>{move || ed.locale.get().text(Key::EditorWorkload)}</legend>
            {choice_field(ed, w(WorkloadField::Pattern), Key::FieldPattern, PATTERNS)}
            {text_field(ed, w(WorkloadField::Rate), key_label(Key::ArrivalRate))}
            {bursts}
            {text_field(ed, w(WorkloadField::Users), key_label(Key::FieldUsers))}
        </fieldset>
        <fieldset class="ed-event" data-testid="ed-event">
            <legend>{move || ed.locale.get().text(Key::EditorEventShape)}</legend>
            {text_field(ed, Field::Event(EventField::Brokers), key_label(Key::FieldBrokers))}
            {text_field(ed, Field::Event(EventField::Partitions), key_label(Key::FieldPartitions))}
            {text_field(ed, Field::Event(EventField::ReplicationFactor), key_label(Key::FieldReplication))}
            {instances}
        </fieldset>
    }
}

/// What decides the form's shape: rebuilt only when this changes.
#[derive(Clone, PartialEq)]
struct Shape {
    generation: u64,
    services: Vec<(usize, usize, String)>,
    kinds: usize,
    bursty: bool,
    groups: Vec<usize>,
}

fn shape_of(editor: &Editor, generation: u64) -> Shape {
    let draft = editor.draft();
    let time_kind = |s: usize| editor.text(Field::Service(s, ServiceField::TimeKind));
    Shape {
        generation,
        services: editor
            .tree_order()
            .into_iter()
            .map(|(s, level)| (s, level, time_kind(s)))
            .collect(),
        kinds: draft.workload.kinds.len(),
        bursty: editor.text(Field::Workload(WorkloadField::Pattern)) == "bursty",
        groups: editor
            .tree_order()
            .into_iter()
            .filter(|&(_, level)| level == 2)
            .map(|(s, _)| s)
            .collect(),
    }
}

/// The form: services in tree order, kinds, workload and the event world's shape.
fn form(ed: Ed) -> impl IntoView {
    let shape = Memo::new(move |_| {
        let generation = ed.generation.get();
        ed.editor.with(|e| shape_of(e, generation))
    });
    move || {
        let shape = shape.get();
        let all: Vec<usize> = shape.services.iter().map(|&(s, _, _)| s).collect();
        let services = (shape.services.iter())
            .map(|&(s, level, _)| service_fieldset(ed, s, level))
            .collect_view();
        let kinds = (0..shape.kinds)
            .map(|k| kind_fieldset(ed, k, all.clone()))
            .collect_view();
        view! {
            <h3>{move || ed.locale.get().text(Key::EditorServices)}</h3>
            <div class="ed-services">{services}</div>
            <h3>{move || ed.locale.get().text(Key::EditorKinds)}</h3>
            <p class="small">{move || ed.locale.get().text(Key::EditorKindsNote)}</p>
            {kinds}
            <button type="button" id="ed-add-kind" data-testid="ed-add-kind" on:click=move |_| ed.rebuild(Editor::add_kind)>
                {move || ed.locale.get().text(Key::AddKind)}
            </button>
            {workload_and_event(ed, shape.bursty, shape.groups.clone())}
        }
    }
}

/// The panel's header: what the draft is against the run, and the buttons.
fn header(ed: Ed, open: RwSignal<bool>) -> impl IntoView {
    let l = move || ed.locale.get();
    let state = move || {
        ed.editor.with(|e| match e.error() {
            Some(error) => {
                let problem = problem_text(&error.problem, l());
                l().fill(
                    Key::EditorInvalid,
                    &[("field", &error.field), ("problem", &problem)],
                )
            }
            None if e.changed() => l().text(Key::EditorPending).to_string(),
            None => l().text(Key::EditorSame).to_string(),
        })
    };
    let undo_note = move || {
        ed.editor.with(|e| {
            e.undo_restarts()
                .map(|s| l().fill(Key::EditorUndoRestarts, &[("name", &s.name)]))
        })
    };
    let redo_note = move || {
        ed.editor.with(|e| {
            e.redo_restarts()
                .map(|s| l().fill(Key::EditorRedoRestarts, &[("name", &s.name)]))
        })
    };
    view! {
        <div class="ed-header">
            <h2 id="editor-title">{move || l().text(Key::EditorTitle)}</h2>
            <p class="small">{move || l().text(Key::EditorNote)}</p>
            <div class="ed-buttons">
                <button type="button" data-testid="ed-blank" on:click=move |_| ed.rebuild(Editor::start_blank)>{move || l().text(Key::EditorBlank)}</button>
                <button type="button" data-testid="ed-undo" aria-keyshortcuts="Control+Z" disabled=move || !ed.editor.with(Editor::can_undo)
                    title=move || undo_note().unwrap_or_default() on:click=move |_| ed.travel(Editor::undo)>{move || l().text(Key::EditorUndo)}</button>
                <button type="button" data-testid="ed-redo" aria-keyshortcuts="Control+Shift+Z" disabled=move || !ed.editor.with(Editor::can_redo)
                    title=move || redo_note().unwrap_or_default() on:click=move |_| ed.travel(Editor::redo)>{move || l().text(Key::EditorRedo)}</button>
                <button type="button" class="primary" data-testid="ed-apply" on:click=move |_| ed.apply()>{move || l().text(Key::EditorApply)}</button>
                <button type="button" data-testid="ed-close" on:click=move |_| open.set(false)>{move || l().text(Key::EditorClose)}</button>
            </div>
            <p class="ed-state" data-testid="ed-state" aria-live="polite">{state}</p>
            <p class="ed-undo-note small" data-testid="ed-undo-note">{move || undo_note().unwrap_or_default()}</p>
            <p class="ed-status" data-testid="ed-status" role="status">{move || ed.status.get().unwrap_or_default()}</p>
        </div>
    }
}

/// Ctrl+Z and Ctrl+Shift+Z (⌘ on a Mac) undo and redo the editor's steps, inputs included.
fn on_key(ed: Ed, ev: leptos::ev::KeyboardEvent) {
    if !(ev.ctrl_key() || ev.meta_key()) || ev.key().to_lowercase() != "z" {
        return;
    }
    ev.prevent_default();
    if ev.shift_key() {
        ed.travel(Editor::redo);
    } else {
        ed.travel(Editor::undo);
    }
}

/// "Edit architecture" and, when open, the editor of the running scenario's shape.
#[component]
pub fn ArchitectureEditor() -> impl IntoView {
    let explainer = expect_context::<Explainer>();
    let UiLocale(locale) = expect_context::<UiLocale>();
    let ed = Ed {
        editor: explainer.editor,
        generation: explainer.editor_generation,
        status: RwSignal::new(None),
        explainer,
        locale,
    };
    let open = RwSignal::new(false);
    let toggle = move |_| {
        if !open.get_untracked() {
            // The draft starts from what runs now, unless it already is what runs.
            let running = explainer.base.get_untracked();
            ed.editor.update(|e| e.follow(&running));
            ed.generation.update(|g| *g += 1);
        }
        open.update(|o| *o = !*o);
    };
    view! {
        <div class="editor-bar">
            <button type="button" data-testid="edit-architecture" aria-expanded=move || open.get().to_string()
                aria-controls="architecture-editor" on:click=toggle>
                {move || locale.get().text(Key::EditArchitecture)}
            </button>
        </div>
        <Show when=move || open.get()>
            <section id="architecture-editor" class="editor" data-testid="editor" aria-labelledby="editor-title"
                on:keydown=move |ev| on_key(ed, ev)>
                {header(ed, open)}
                {form(ed)}
            </section>
        </Show>
    }
}
