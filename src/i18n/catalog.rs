//! The translation catalog's keys: every word the page shows, named by meaning.
//!
//! The words themselves live in `src/text/{en,zh-Hant,ja}.json`, section `catalog`, and are
//! read through [`crate::text`]; a test checks that every key here has a text in all three
//! languages with the same placeholders. Technical terms follow the seed notes' own usage:
//! 消費者群組 / コンシューマーグループ, 偏移量 / オフセット, 分區 / パーティション.

use super::Locale;

macro_rules! catalog {
    ($($key:ident),* $(,)?) => {
        /// A translatable string. The variant names the meaning, not the English words.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        impl Key {
            /// Every key, so tests can check the whole catalog.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The key's name, which is its key in the text files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$key => stringify!($key),)*
                }
            }
        }
    };
}

impl Key {
    /// The text of this key in `locale`.
    pub fn text(self, locale: Locale) -> &'static str {
        crate::text::text(locale, "catalog", self.name())
    }
}

catalog! {
    AppName, AppTagline, LanguageLabel, PanelsLabel, SkipToStages, ShortcutsButton, ShortcutsTitle,
    ShortcutPlay, ShortcutHelp, ShortcutSkip, ShortcutMove, ShortcutActions, ShortcutClose, ShortcutUndo,
    AnnounceBreakerOpen, AnnounceBreakerHalfOpen, AnnounceBreakerClosed, SyncPanelTitle, SyncPanelLede,
    SyncPanelWatch1, SyncPanelWatch2, SyncPanelWatch3, EventPanelTitle, EventPanelLede,
    EventPanelWatch1, EventPanelWatch2, EventPanelWatch3, WatchHeading, FooterDeterminism,
    UnitMilliseconds, UnitSeconds, UnitMinutes, ControlsLabel, Play, Pause, Step, Reset, Speed,
    SpeedValue, Seed, ArrivalRate, ScenarioLabel, SimClock, StatusFinished, CapLogSize,
    CapOpenRequests, CapSnapshots, CapsLabel, StatusBehind, StatusRebuilding, KeyboardHint, AboutRun,
    ParticleLegend, DotRequest, DotReply, DotFailure, DotEvent, NotApplied, Users, Producer,
    TopicLabel, PartitionShort, PartitionAria, NoLeader, BrokerShort, BrokerAria, Dlq,
    WorkersShort, QueueShort, DoneShort, LagShort, InstancesShort, Rebalancing, SessionsPending, StateUp,
    StateKilled, StateHung, StateSlow, BreakerOpen, BreakerHalfOpen, Redeploying, CodeDiff,
    NodeAria, GroupAria, ActionsFor, Kill, Hang, Slow, Restore, RemoveConsumer, Instances,
    ScaleUp, ScaleDown, Upgrade, ProducerVersion, CannotRead, DeployCompatible, DeployBreaking, MaxPollRecords, SessionTimeoutS,
    SchemaRegistry, PublishMode, PublishDualWrite, PublishOutbox, OutboxPollMs, CloseMenu, BothWorldsNote, AddConsumerTitle, ConsumerName, ProcessingTime,
    StartFromLabel, Earliest, Latest, AddButton, AddConsumerNote, SettingsTitle, SettingsNote,
    SyncSettings, EventSettings, TimeoutMs, Retries, Breaker, Acks, CommitMode, CommitBefore,
    CommitAfter, CommitAuto, Idempotent, RetentionS, DlqSetting, ScoreboardLabel, ScoreSuccess,
    ScoreP99, ScoreDone, ScoreDuplicated, ScoreLost, ScorePending, ScoreInconsistent, ScoreConsistency, ScoreLag,
    NotYet, ChartsLabel, ChartSuccess, ChartLatency, ChartLostDuplicated, ChartLag, LegendSync,
    LegendEvent, FollowTitle, FollowPrompt, FollowButton, FollowNone, JourneyArrival, JourneyCall,
    JourneyCallFailed, JourneyWork, JourneyLost, JourneyResponded, JourneyAppended,
    JourneyFetched, JourneyRefetched, JourneyProcessed, JourneyDeadLettered, ResultOk,
    ResultFailed, EpisodeKill, EpisodeHang, EpisodeSlow, EpisodeBroker, LagDrained, LagNotDrained,
    LagNormal, RunEnded, RunEndedConsistency, RunEndedSchema, AnnotationsTitle, GuideLabel, GuideStepOf, GuideNext, GuideWaiting,
    GuidePressPlay, GuideDone, WorkshopTitle, WorkshopChoose, WorkshopNone, WorkshopGoal,
    WorkshopSettings, WorkshopCheck, WorkshopReset, WorkshopHint, WorkshopPassed, WorkshopFailed,
    ConditionHolds, ConditionFails, ConditionValue, SettingOn, CopyLink, ShareLinkLabel,
    CopyEmbed, EmbedCodeLabel, OpenFullApp, EmbedLabel, FilesTitle, FilesNote, ImportFile,
    ExportScenario, ExportReport, ExportTrace, ExportExercise, ExportSettings, ExportChart,
    TimelineLabel, TimelineScrub, TimelineTime, TimelinePast, MarkAt, ActionKill, ActionHang,
    ActionSlow, ActionRestore, ActionAdd, ActionRemove, ActionScale, ActionConfigure,
    ActionDeployCompatible, ActionDeployBreaking, ActionUpgrade,
    BranchesTitle, BranchesNote, BranchOriginal, BranchFrom, CompareWith, CompareNone,
    CompareBranch, CompareTitle, CompareMetric, CompareFaded, EditArchitecture, EditorTitle,
    EditorNote, EditorBlank, EditorUndo, EditorRedo, EditorUndoRestarts, EditorRedoRestarts,
    EditorApply, EditorClose, EditorSame, EditorPending, EditorInvalid, EditorApplied,
    EditorTravelled, EditorServices, EditorKinds, EditorKindsNote, EditorWorkload,
    EditorEventShape, EditorEntry, EditorCalledBy, FieldName, FieldEffect, FieldWorkers,
    FieldQueue, FieldTimeKind, TimeConstant, TimeUniform, TimeExponential, TimeLognormal,
    ParamValue, ParamMin, ParamMax, ParamMean, ParamMedian, ParamP99, FieldErrorRate,
    FieldCallMode, CallParallel, CallSequential, AddCallee, RemoveService, AddKind, RemoveKind,
    FieldWeight, FieldTouches, FieldPattern, PatternPoisson, PatternConstant, PatternBursty,
    FieldBurstRate, FieldEveryMs, FieldBurstMs, FieldUsers, FieldBrokers, FieldPartitions,
    FieldReplication, FieldInstances, OwnScenario,
    UnitPerSecond, UnitTimes, SweepOpen, SweepTitle, SweepLede, SweepParam, SweepFrom, SweepTo, SweepPoints, SweepRun, SweepCancel, SweepProgress, SweepStarting, SweepFinished, SweepCancelled, SweepFailed, SweepKnees, SweepChartsLabel, SweepChartP99, SweepChartWrong, SweepChartLag, SweepChartConsistency, SweepPointsLabel, SweepOpenPoint, SweepExport, ParamArrivalRate, ParamServiceTime, ParamSlowFactor, ParamFaultLength, ParamTimeout, ParamRetries, ParamBreaker, ParamPartitions, ParamInstances, ParamAutoCommit, ParamRetention, KneeSuccessFalls, KneeSuccessBelow, SweepTable, SweepMaxLag, KneeSuccessHolds, KneeSlowFrom, KneeWrongFrom, KneeLagFrom,
    StillView, EdgeRate, AppendRate, ReadRate, StageAsTable, ChartAsTable, ColService, ColState, ColBusy, ColQueue, ColDone, ColTime, TableLatency, TableConsistency, TableLost, TableDuplicated, EmbedStill,
}
