//! The translation catalog: every user-facing string, in en, zh-Hant and ja.
//!
//! Each entry must name all three languages or the crate does not compile, so a
//! missing translation can never ship. Technical terms follow the seed notes'
//! own usage: 消費者群組 / コンシューマーグループ, 偏移量 / オフセット, 分區 / パーティション.

use super::Locale;

macro_rules! catalog {
    ($($key:ident => { en: $en:expr, zh: $zh:expr, ja: $ja:expr $(,)? }),* $(,)?) => {
        /// A translatable string. The variant names the meaning, not the English words.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        impl Key {
            /// Every key, so tests can check the whole catalog.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The text of this key in `locale`.
            pub fn text(self, locale: Locale) -> &'static str {
                match self {
                    $(Key::$key => match locale {
                        Locale::En => $en,
                        Locale::ZhHant => $zh,
                        Locale::Ja => $ja,
                    }),*
                }
            }
        }
    };
}

catalog! {
    AppName => { en: "Ripple", zh: "Ripple", ja: "Ripple" },
    AppTagline => {
        en: "Synchronous calls and event-driven pub/sub, side by side, on one deterministic simulation.",
        zh: "同步呼叫與事件驅動的發佈/訂閱並排呈現，由同一個確定性模擬驅動。",
        ja: "同期呼び出しとイベント駆動のPub/Subを、ひとつの決定論的シミュレーションで並べて見せます。",
    },
    LanguageLabel => { en: "Language", zh: "語言", ja: "言語" },
    PanelsLabel => {
        en: "The two architectures, fed the same traffic",
        zh: "兩種架構，輸入相同的流量",
        ja: "同じトラフィックを流す二つのアーキテクチャ",
    },
    SyncPanelTitle => { en: "Synchronous call tree", zh: "同步呼叫樹", ja: "同期呼び出しツリー" },
    SyncPanelLede => {
        en: "The caller invokes each callee over an HTTP-style call and holds a worker while it waits.",
        zh: "呼叫方透過 HTTP 式的呼叫直接呼叫每個被呼叫方，並在等待時佔用一個工作執行緒。",
        ja: "呼び出し元はHTTP形式の呼び出しで各呼び出し先を直接呼び、待つ間ワーカーを占有します。",
    },
    SyncPanelWatch1 => {
        en: "One slow callee stalls the whole request.",
        zh: "一個變慢的被呼叫方會拖住整個請求。",
        ja: "遅い呼び出し先がひとつあるだけで、リクエスト全体が止まります。",
    },
    SyncPanelWatch2 => {
        en: "A hung service exhausts its caller's worker pool: failures cascade up the tree.",
        zh: "當機的服務耗盡呼叫方的工作池：故障沿著樹向上級聯。",
        ja: "ハングしたサービスが呼び出し元のワーカープールを使い果たし、障害がツリーを遡ってカスケードします。",
    },
    SyncPanelWatch3 => {
        en: "Adding a downstream service means changing and redeploying the caller.",
        zh: "新增下游服務就得修改並重新部署呼叫方。",
        ja: "下流サービスを追加するには、呼び出し元を変更して再デプロイする必要があります。",
    },
    EventPanelTitle => { en: "Event-driven log", zh: "事件驅動日誌", ja: "イベント駆動ログ" },
    EventPanelLede => {
        en: "The producer appends one event to a Kafka-like log; consumer groups read it at their own pace.",
        zh: "生產者將一個事件附加到類似 Kafka 的日誌；消費者群組以各自的步調讀取。",
        ja: "プロデューサーはKafkaのようなログにイベントをひとつ追記し、コンシューマーグループがそれぞれのペースで読みます。",
    },
    EventPanelWatch1 => {
        en: "The user gets an answer as soon as the broker acknowledges the write.",
        zh: "代理確認寫入後，使用者立即得到回應。",
        ja: "ブローカーが書き込みを確認した時点で、ユーザーに応答が返ります。",
    },
    EventPanelWatch2 => {
        en: "A consumer that was down resumes from its last committed offset and catches up.",
        zh: "當機的消費者從最後提交的偏移量恢復並追上進度。",
        ja: "停止していたコンシューマーは、最後にコミットしたオフセットから再開して追いつきます。",
    },
    EventPanelWatch3 => {
        en: "The costs are counted too: lag, duplicates, lost events and eventual consistency.",
        zh: "代價同樣計入：滯後、重複、遺失的事件與最終一致性。",
        ja: "コストも数えます：ラグ、重複、消失したイベント、結果整合性。",
    },
    WatchHeading => { en: "What you will see", zh: "你將看到", ja: "見られること" },
    FooterDeterminism => {
        en: "Both worlds run on one simulation clock from one seed: the same scenario always gives the same run.",
        zh: "兩個世界共用一個模擬時鐘與同一個種子：相同的情境永遠產生相同的執行結果。",
        ja: "両方の世界はひとつのシード、ひとつのシミュレーション時計で動きます。同じシナリオは常に同じ結果になります。",
    },
    UnitMilliseconds => { en: "{n} ms", zh: "{n} 毫秒", ja: "{n} ミリ秒" },
    UnitSeconds => { en: "{n} s", zh: "{n} 秒", ja: "{n} 秒" },
    UnitMinutes => { en: "{n} min", zh: "{n} 分鐘", ja: "{n} 分" },

    // Playback and run controls.
    ControlsLabel => { en: "Playback", zh: "播放控制", ja: "再生コントロール" },
    Play => { en: "Play", zh: "播放", ja: "再生" },
    Pause => { en: "Pause", zh: "暫停", ja: "一時停止" },
    Step => { en: "Step 0.1 s", zh: "前進 0.1 秒", ja: "0.1 秒進める" },
    Reset => { en: "Reset", zh: "重設", ja: "リセット" },
    Speed => { en: "Speed", zh: "速度", ja: "速度" },
    SpeedValue => { en: "{n}×", zh: "{n}×", ja: "{n}×" },
    Seed => { en: "Seed", zh: "種子", ja: "シード" },
    ArrivalRate => { en: "Requests/s", zh: "每秒請求數", ja: "毎秒リクエスト数" },
    ScenarioLabel => { en: "Scenario", zh: "情境", ja: "シナリオ" },
    SimClock => { en: "t = {t}", zh: "t = {t}", ja: "t = {t}" },
    StatusFinished => {
        en: "The scenario has ended. Press play to keep going.",
        zh: "情境已結束。按播放可繼續。",
        ja: "シナリオが終了しました。再生を押すと続行します。",
    },
    CapLogSize => {
        en: "The log keeps the newest {kept} events: {deleted} older ones are gone, as with Kafka's retention.bytes.",
        zh: "日誌只保留最新的 {kept} 個事件：較舊的 {deleted} 個已被刪除，如同 Kafka 的 retention.bytes。",
        ja: "ログは最新の {kept} 件のイベントだけを保持します。古い {deleted} 件は削除されました（Kafka の retention.bytes と同じです）。",
    },
    CapOpenRequests => {
        en: "The ledger follows at most {kept} open requests: {folded} older ones were closed as they stood, and their unfinished effects count as pending.",
        zh: "帳本最多追蹤 {kept} 個未完成的請求：較舊的 {folded} 個已按當下狀態結算，其未完成的效果計為待處理。",
        ja: "台帳が追跡する未完了リクエストは最大 {kept} 件です。古い {folded} 件はその時点の状態で締められ、未完了の効果は保留中として数えます。",
    },
    CapSnapshots => {
        en: "Time travel keeps its snapshots within {mib} MiB, so they were spaced further apart {thinned} times: seeking far back re-simulates more.",
        zh: "時間旅行的快照總量限制在 {mib} MiB 內，因此已 {thinned} 次拉大快照間距：往回跳得越遠，需要重新模擬的越多。",
        ja: "タイムトラベルのスナップショットは合計 {mib} MiB 以内に収めるため、間隔を {thinned} 回広げました。遠くへ戻るほど再シミュレーションが増えます。",
    },
    CapsLabel => { en: "Limits reached", zh: "已達上限", ja: "上限に達した項目" },
    StatusBehind => {
        en: "The simulation is running slower than the chosen speed.",
        zh: "模擬速度跟不上所選的速度。",
        ja: "シミュレーションが選んだ速度に追いついていません。",
    },
    KeyboardHint => {
        en: "Keys: Space plays or pauses, arrows move between services, Enter opens a service's actions.",
        zh: "按鍵：空白鍵播放或暫停，方向鍵在服務間移動，Enter 開啟服務的操作。",
        ja: "キー操作：スペースで再生・一時停止、矢印キーでサービス間を移動、Enter でサービスの操作を開きます。",
    },
    AboutRun => {
        en: "About this run: scenario {scenario}, seed {seed}, trace hash {hash}",
        zh: "關於這次執行：情境 {scenario}，種子 {seed}，追蹤雜湊 {hash}",
        ja: "この実行について：シナリオ {scenario}、シード {seed}、トレースハッシュ {hash}",
    },
    ParticleLegend => {
        en: "Each dot is one call, reply or event; one dot per {n} requests.",
        zh: "每個點是一次呼叫、回應或事件；每 {n} 個請求畫一個點。",
        ja: "点はそれぞれ一つの呼び出し・応答・イベントです。{n} リクエストにつき一つ描きます。",
    },
    DotRequest => { en: "call", zh: "呼叫", ja: "呼び出し" },
    DotReply => { en: "reply", zh: "回應", ja: "応答" },
    DotFailure => { en: "failure", zh: "失敗", ja: "失敗" },
    DotEvent => { en: "event", zh: "事件", ja: "イベント" },
    NotApplied => {
        en: "Not applied: {field}: {message}",
        zh: "未套用：{field}：{message}",
        ja: "適用されませんでした：{field}：{message}",
    },
    // The panels' drawings.
    Users => { en: "users", zh: "使用者", ja: "ユーザー" },
    Producer => { en: "producer", zh: "生產者", ja: "プロデューサー" },
    TopicLabel => { en: "topic: {n} partitions", zh: "主題：{n} 個分區", ja: "トピック：{n} パーティション" },
    PartitionShort => { en: "P{n}", zh: "P{n}", ja: "P{n}" },
    PartitionAria => {
        en: "Partition {p}: offsets {start} to {end}, leader broker {leader}",
        zh: "分區 {p}：偏移量 {start} 至 {end}，領導代理 {leader}",
        ja: "パーティション {p}：オフセット {start}〜{end}、リーダーブローカー {leader}",
    },
    NoLeader => { en: "none (electing)", zh: "無（選舉中）", ja: "なし（選出中）" },
    BrokerShort => { en: "B{n}", zh: "B{n}", ja: "B{n}" },
    BrokerAria => {
        en: "Broker {n}: {state}. Press Enter for actions.",
        zh: "代理 {n}：{state}。按 Enter 開啟操作。",
        ja: "ブローカー {n}：{state}。Enter で操作を開きます。",
    },
    Dlq => { en: "DLQ {n}", zh: "死信佇列 {n}", ja: "デッドレター {n}" },
    WorkersShort => { en: "{busy}/{workers} busy", zh: "{busy}/{workers} 忙碌", ja: "{busy}/{workers} 使用中" },
    QueueShort => { en: "queue {n}", zh: "佇列 {n}", ja: "キュー {n}" },
    DoneShort => { en: "{n} done", zh: "完成 {n}", ja: "完了 {n}" },
    LagShort => { en: "lag {n}", zh: "滯後 {n}", ja: "ラグ {n}" },
    InstancesShort => {
        en: "{active} active, {idle} idle",
        zh: "{active} 個活躍，{idle} 個閒置",
        ja: "稼働 {active}、待機 {idle}",
    },
    Rebalancing => { en: "rebalancing", zh: "再平衡中", ja: "リバランス中" },
    StateUp => { en: "up", zh: "正常", ja: "稼働中" },
    StateKilled => { en: "killed", zh: "已終止", ja: "停止" },
    StateHung => { en: "hung", zh: "卡住", ja: "ハング" },
    StateSlow => { en: "slow ×{n}", zh: "變慢 ×{n}", ja: "低速 ×{n}" },
    BreakerOpen => { en: "breaker open", zh: "斷路器開啟", ja: "ブレーカー開" },
    BreakerHalfOpen => { en: "breaker half-open", zh: "斷路器半開", ja: "ブレーカー半開" },
    Redeploying => { en: "redeploying: + call {name}", zh: "重新部署中：+ 呼叫 {name}", ja: "再デプロイ中：+ {name} を呼ぶ" },
    CodeDiff => { en: "+ call {name}", zh: "+ 呼叫 {name}", ja: "+ {name} を呼ぶ" },
    NodeAria => {
        en: "{name}: {state}, {busy} of {workers} workers busy, {queued} queued. Press Enter for actions.",
        zh: "{name}：{state}，{workers} 個工作執行緒中 {busy} 個忙碌，{queued} 個排隊。按 Enter 開啟操作。",
        ja: "{name}：{state}、ワーカー {workers} 中 {busy} 使用中、待ち {queued}。Enter で操作を開きます。",
    },
    GroupAria => {
        en: "Consumer group {name}: {state}, lag {lag}, {active} active and {idle} idle instances. Press Enter for actions.",
        zh: "消費者群組 {name}：{state}，滯後 {lag}，{active} 個活躍、{idle} 個閒置實例。按 Enter 開啟操作。",
        ja: "コンシューマーグループ {name}：{state}、ラグ {lag}、稼働 {active}・待機 {idle} インスタンス。Enter で操作を開きます。",
    },
    // The action menu.
    ActionsFor => { en: "Actions for {name}", zh: "{name} 的操作", ja: "{name} の操作" },
    Kill => { en: "Kill", zh: "終止", ja: "停止する" },
    Hang => { en: "Hang", zh: "使其卡住", ja: "ハングさせる" },
    Slow => { en: "Slow ×4", zh: "變慢 ×4", ja: "4 倍遅くする" },
    Restore => { en: "Restore", zh: "恢復", ja: "復旧する" },
    RemoveConsumer => { en: "Remove", zh: "移除", ja: "削除する" },
    Instances => { en: "Instances: {n}", zh: "實例：{n}", ja: "インスタンス：{n}" },
    ScaleUp => { en: "Add instance", zh: "增加實例", ja: "インスタンスを追加" },
    ScaleDown => { en: "Remove instance", zh: "減少實例", ja: "インスタンスを減らす" },
    CloseMenu => { en: "Close", zh: "關閉", ja: "閉じる" },
    BothWorldsNote => {
        en: "Applied to both worlds at the same simulated time.",
        zh: "在同一模擬時間套用到兩個世界。",
        ja: "同じシミュレーション時刻に両方の世界へ適用します。",
    },
    // Adding a consumer.
    AddConsumerTitle => { en: "Add a consumer", zh: "新增消費者", ja: "コンシューマーを追加" },
    ConsumerName => { en: "Name", zh: "名稱", ja: "名前" },
    ProcessingTime => { en: "Processing time (ms)", zh: "處理時間（毫秒）", ja: "処理時間（ミリ秒）" },
    StartFromLabel => { en: "Start from", zh: "起始位置", ja: "読み始め" },
    Earliest => { en: "earliest", zh: "最早（earliest）", ja: "最古（earliest）" },
    Latest => { en: "latest", zh: "最新（latest）", ja: "最新（latest）" },
    AddButton => { en: "Add", zh: "新增", ja: "追加" },
    AddConsumerNote => {
        en: "Sync: the caller's code changes and is redeployed. Events: the new group just subscribes.",
        zh: "同步：呼叫方的程式碼要修改並重新部署。事件：新群組只需訂閱。",
        ja: "同期：呼び出し元のコードを変更して再デプロイします。イベント：新しいグループは購読するだけです。",
    },
    // Settings.
    SettingsTitle => { en: "Settings", zh: "設定", ja: "設定" },
    SettingsNote => {
        en: "A change applies from now on, in both worlds. To ask \"what if it had always been so\", drag the timeline to the start first.",
        zh: "變更從此刻起在兩個世界同時生效。想問「如果一開始就這樣呢」，請先把時間軸拖回起點。",
        ja: "変更は今この時点から両方の世界に効きます。「最初からこうだったら」を試すには、先にタイムラインを先頭に戻してください。",
    },
    SyncSettings => { en: "Synchronous calls", zh: "同步呼叫", ja: "同期呼び出し" },
    EventSettings => { en: "Event log", zh: "事件日誌", ja: "イベントログ" },
    TimeoutMs => { en: "Timeout (ms)", zh: "逾時（毫秒）", ja: "タイムアウト（ミリ秒）" },
    Retries => { en: "Retries", zh: "重試次數", ja: "リトライ回数" },
    Breaker => { en: "Circuit breaker", zh: "斷路器", ja: "サーキットブレーカー" },
    Acks => { en: "acks", zh: "acks", ja: "acks" },
    CommitMode => { en: "Commit", zh: "提交", ja: "コミット" },
    CommitBefore => { en: "before processing", zh: "處理前", ja: "処理前" },
    CommitAfter => { en: "after processing", zh: "處理後", ja: "処理後" },
    CommitAuto => { en: "auto (timer)", zh: "自動（定時）", ja: "自動（タイマー）" },
    Idempotent => { en: "Idempotent consumers", zh: "冪等消費者", ja: "冪等なコンシューマー" },
    RetentionS => { en: "Retention (s)", zh: "保留期限（秒）", ja: "保持期間（秒）" },
    DlqSetting => { en: "Dead-letter queue", zh: "死信佇列", ja: "デッドレターキュー" },
    // Scoreboards.
    ScoreboardLabel => { en: "{world}: scoreboard", zh: "{world}：記分板", ja: "{world}：スコアボード" },
    ScoreSuccess => { en: "User-facing success", zh: "使用者端成功率", ja: "ユーザーから見た成功率" },
    ScoreP99 => { en: "p99 latency", zh: "p99 延遲", ja: "p99 レイテンシ" },
    ScoreDone => { en: "Effects done", zh: "已完成效果", ja: "完了した効果" },
    ScoreDuplicated => { en: "Duplicated", zh: "重複", ja: "重複" },
    ScoreLost => { en: "Lost", zh: "遺失", ja: "喪失" },
    ScorePending => { en: "Pending", zh: "待處理", ja: "保留中" },
    ScoreInconsistent => { en: "Inconsistent requests", zh: "不一致的請求", ja: "不整合なリクエスト" },
    ScoreLag => { en: "Lag now / max", zh: "目前 / 最大滯後", ja: "現在 / 最大ラグ" },
    NotYet => { en: "–", zh: "–", ja: "–" },
    // Charts.
    ChartsLabel => { en: "Both worlds over simulated time", zh: "兩個世界隨模擬時間的變化", ja: "シミュレーション時間に沿った両世界" },
    ChartSuccess => { en: "Success rate", zh: "成功率", ja: "成功率" },
    ChartLatency => { en: "p99 latency (ms)", zh: "p99 延遲（毫秒）", ja: "p99 レイテンシ（ミリ秒）" },
    ChartLostDuplicated => {
        en: "Lost (solid) and duplicated (dashed) effects",
        zh: "遺失（實線）與重複（虛線）的效果",
        ja: "喪失（実線）と重複（破線）した効果",
    },
    ChartLag => { en: "Consumer lag (events)", zh: "消費者滯後（事件數）", ja: "コンシューマーラグ（イベント数）" },
    LegendSync => { en: "sync", zh: "同步", ja: "同期" },
    LegendEvent => { en: "event", zh: "事件", ja: "イベント" },
    // Following one request.
    FollowTitle => { en: "Follow one request", zh: "追蹤一個請求", ja: "一つのリクエストを追う" },
    FollowPrompt => {
        en: "Click a dot, or type a request id:",
        zh: "點一下某個點，或輸入請求編號：",
        ja: "点をクリックするか、リクエスト ID を入力：",
    },
    FollowButton => { en: "Follow", zh: "追蹤", ja: "追う" },
    FollowNone => {
        en: "Request {id} is not in the recent trace.",
        zh: "最近的追蹤中沒有請求 {id}。",
        ja: "最近のトレースにリクエスト {id} はありません。",
    },
    JourneyArrival => { en: "{t}: arrives ({kind})", zh: "{t}：抵達（{kind}）", ja: "{t}：到着（{kind}）" },
    JourneyCall => { en: "{t}: {from} calls {to} (attempt {n})", zh: "{t}：{from} 呼叫 {to}（第 {n} 次）", ja: "{t}：{from} が {to} を呼ぶ（{n} 回目）" },
    JourneyCallFailed => { en: "{t}: call {from} → {to} failed: {reason}", zh: "{t}：呼叫 {from} → {to} 失敗：{reason}", ja: "{t}：呼び出し {from} → {to} 失敗：{reason}" },
    JourneyWork => { en: "{t}: {service} did its work", zh: "{t}：{service} 完成工作", ja: "{t}：{service} が処理を完了" },
    JourneyLost => { en: "{t}: {service}'s effect lost: {reason}", zh: "{t}：{service} 的效果遺失：{reason}", ja: "{t}：{service} の効果が失われた：{reason}" },
    JourneyResponded => { en: "{t}: user answered {result} after {latency}", zh: "{t}：使用者於 {latency} 後得到{result}", ja: "{t}：{latency} 後にユーザーへ{result}を返答" },
    JourneyAppended => { en: "{t}: appended at partition {p}, offset {o}", zh: "{t}：寫入分區 {p}，偏移量 {o}", ja: "{t}：パーティション {p}、オフセット {o} に追記" },
    JourneyFetched => { en: "{t}: {group} fetched it (instance {i})", zh: "{t}：{group} 取得（實例 {i}）", ja: "{t}：{group} が取得（インスタンス {i}）" },
    JourneyRefetched => { en: "{t}: {group} fetched it again: redelivery", zh: "{t}：{group} 再次取得：重新投遞", ja: "{t}：{group} が再取得：再配信" },
    JourneyProcessed => { en: "{t}: {group} processed it", zh: "{t}：{group} 處理完成", ja: "{t}：{group} が処理" },
    JourneyDeadLettered => { en: "{t}: {group} parked it in the DLQ", zh: "{t}：{group} 將其移入死信佇列", ja: "{t}：{group} が DLQ に退避" },
    ResultOk => { en: "success", zh: "成功", ja: "成功" },
    ResultFailed => { en: "failure", zh: "失敗", ja: "失敗" },
    // Live annotations: one sentence per fault episode and one at the end of a run.
    EpisodeKill => {
        en: "{target} was down for {duration}: the sync world failed {sync_failed} requests and lost {sync_lost} effects; the event world failed {event_failed} and lost {event_lost}. {lag}.",
        zh: "{target} 停止了 {duration}：同步世界有 {sync_failed} 個請求失敗、遺失 {sync_lost} 個效果；事件世界失敗 {event_failed} 個、遺失 {event_lost} 個。{lag}。",
        ja: "{target} が {duration} 停止しました。同期の世界ではリクエスト {sync_failed} 件が失敗し、効果 {sync_lost} 件が失われました。イベントの世界では失敗 {event_failed} 件、喪失 {event_lost} 件です。{lag}。",
    },
    EpisodeHang => {
        en: "{target} hung for {duration}: the sync world failed {sync_failed} requests and lost {sync_lost} effects; the event world failed {event_failed} and lost {event_lost}. {lag}.",
        zh: "{target} 卡住了 {duration}：同步世界有 {sync_failed} 個請求失敗、遺失 {sync_lost} 個效果；事件世界失敗 {event_failed} 個、遺失 {event_lost} 個。{lag}。",
        ja: "{target} が {duration} ハングしました。同期の世界ではリクエスト {sync_failed} 件が失敗し、効果 {sync_lost} 件が失われました。イベントの世界では失敗 {event_failed} 件、喪失 {event_lost} 件です。{lag}。",
    },
    EpisodeSlow => {
        en: "{target} ran {factor}× slower for {duration}: the sync world failed {sync_failed} requests and lost {sync_lost} effects; the event world failed {event_failed} and lost {event_lost}. {lag}.",
        zh: "{target} 變慢 {factor} 倍，持續 {duration}：同步世界有 {sync_failed} 個請求失敗、遺失 {sync_lost} 個效果；事件世界失敗 {event_failed} 個、遺失 {event_lost} 個。{lag}。",
        ja: "{target} が {duration} の間 {factor} 倍遅くなりました。同期の世界ではリクエスト {sync_failed} 件が失敗し、効果 {sync_lost} 件が失われました。イベントの世界では失敗 {event_failed} 件、喪失 {event_lost} 件です。{lag}。",
    },
    EpisodeBroker => {
        en: "{target} was down for {duration}: the event world failed {event_failed} requests and lost {event_lost} events; the sync world, which has no broker, failed {sync_failed}.",
        zh: "{target} 停止了 {duration}：事件世界有 {event_failed} 個請求失敗、遺失 {event_lost} 個事件；沒有 broker 的同步世界失敗 {sync_failed} 個。",
        ja: "{target} が {duration} 停止しました。イベントの世界ではリクエスト {event_failed} 件が失敗し、イベント {event_lost} 件が失われました。ブローカーのない同期の世界の失敗は {sync_failed} 件です。",
    },
    LagDrained => {
        en: "Lag peaked at {peak} and drained {drain} after the restore",
        zh: "滯後最高達 {peak}，並在恢復後 {drain} 消化完畢",
        ja: "ラグは最大 {peak} に達し、復旧から {drain} 後に解消しました",
    },
    LagNotDrained => {
        en: "Lag peaked at {peak} and had not drained when the run ended",
        zh: "滯後最高達 {peak}，到模擬結束時仍未消化完畢",
        ja: "ラグは最大 {peak} に達し、実行終了時点でまだ解消していません",
    },
    LagNormal => {
        en: "Its lag stayed normal",
        zh: "滯後維持正常",
        ja: "ラグは通常の範囲にとどまりました",
    },
    RunEnded => {
        en: "The run ended at {duration}. Sync world: {sync_ok} of requests succeeded, {sync_lost} effects lost, {sync_dup} duplicated. Event world: {event_ok} succeeded, {event_lost} lost, {event_dup} duplicated, lag peaked at {max_lag}.",
        zh: "模擬在 {duration}結束。同步世界：{sync_ok} 的請求成功，遺失 {sync_lost} 個效果、重複 {sync_dup} 個。事件世界：{event_ok} 成功，遺失 {event_lost} 個、重複 {event_dup} 個，滯後最高達 {max_lag}。",
        ja: "実行は {duration} で終了しました。同期の世界：リクエストの {sync_ok} が成功、効果の喪失 {sync_lost} 件、重複 {sync_dup} 件。イベントの世界：{event_ok} が成功、喪失 {event_lost} 件、重複 {event_dup} 件、ラグは最大 {max_lag}。",
    },
    AnnotationsTitle => { en: "What happened", zh: "發生了什麼", ja: "何が起きたか" },
    // The guide: narration, annotations and workshop exercises.
    GuideLabel => { en: "Guide", zh: "導覽", ja: "ガイド" },
    GuideStepOf => { en: "Step {n} of {total}", zh: "第 {n} 步，共 {total} 步", ja: "ステップ {n}／{total}" },
    GuideNext => { en: "Next", zh: "下一步", ja: "次へ" },
    GuideWaiting => { en: "Paused for you to act.", zh: "已暫停，等你動手。", ja: "あなたの操作を待って一時停止中です。" },
    GuidePressPlay => { en: "Press play (or Space) to start.", zh: "按下播放（或空白鍵）開始。", ja: "再生（またはスペースキー）で開始します。" },
    GuideDone => { en: "That is the whole story of this scenario. Try another, or change a setting and watch again.", zh: "這個情境的故事就到這裡。試試別的情境，或改個設定再看一次。", ja: "このシナリオの話はここまでです。別のシナリオを試すか、設定を変えてもう一度見てください。" },
    WorkshopTitle => { en: "Workshop exercise", zh: "工作坊練習", ja: "ワークショップ演習" },
    WorkshopChoose => { en: "Exercise", zh: "練習", ja: "演習" },
    WorkshopNone => { en: "None: free play", zh: "無：自由操作", ja: "なし：自由に操作" },
    WorkshopGoal => { en: "Goal", zh: "目標", ja: "ゴール" },
    WorkshopSettings => { en: "Settings you may change", zh: "你可以調整的設定", ja: "変更できる設定" },
    WorkshopCheck => { en: "Check", zh: "檢查", ja: "判定" },
    WorkshopReset => { en: "Reset exercise", zh: "重設練習", ja: "演習をリセット" },
    WorkshopHint => { en: "Show a hint", zh: "顯示提示", ja: "ヒントを見る" },
    WorkshopPassed => { en: "Passed: every condition holds.", zh: "通過：所有條件都成立。", ja: "合格：すべての条件を満たしています。" },
    WorkshopFailed => { en: "Not yet: {count} condition(s) do not hold.", zh: "還沒：有 {count} 個條件不成立。", ja: "まだです：{count} 個の条件を満たしていません。" },
    ConditionHolds => { en: "holds", zh: "成立", ja: "成立" },
    ConditionFails => { en: "fails", zh: "不成立", ja: "不成立" },
    ConditionValue => { en: "{metric} is {value}", zh: "{metric} 為 {value}", ja: "{metric} は {value}" },
    SettingOn => { en: "on", zh: "開", ja: "オン" },
    // Sharing.
    CopyLink => { en: "Copy link", zh: "複製連結", ja: "リンクをコピー" },
    ShareLinkLabel => { en: "Link to this moment", zh: "此刻的連結", ja: "この時点へのリンク" },
    CopyEmbed => { en: "Copy embed code", zh: "複製嵌入碼", ja: "埋め込みコードをコピー" },
    EmbedCodeLabel => { en: "Embed code for a docs page", zh: "供文件頁面使用的嵌入碼", ja: "ドキュメントページ用の埋め込みコード" },
    OpenFullApp => { en: "Open full app", zh: "開啟完整應用程式", ja: "フル画面で開く" },
    EmbedLabel => { en: "Ripple, embedded", zh: "嵌入的 Ripple", ja: "埋め込まれた Ripple" },
    // Files: import and export.
    FilesTitle => { en: "Files", zh: "檔案", ja: "ファイル" },
    FilesNote => {
        en: "Scenarios and exercises use the same JSON as ripple-sim. An imported file replaces the run only if it is valid.",
        zh: "情境與練習使用和 ripple-sim 相同的 JSON。匯入的檔案必須有效才會取代目前的模擬。",
        ja: "シナリオと演習は ripple-sim と同じ JSON です。取り込んだファイルは、有効な場合にだけ今の実行を置き換えます。",
    },
    ImportFile => { en: "Import scenario or exercise", zh: "匯入情境或練習", ja: "シナリオまたは演習を取り込む" },
    ExportScenario => { en: "Export scenario", zh: "匯出情境", ja: "シナリオを書き出す" },
    ExportReport => { en: "Export report", zh: "匯出報告", ja: "レポートを書き出す" },
    ExportTrace => { en: "Export trace", zh: "匯出追蹤", ja: "トレースを書き出す" },
    ExportExercise => { en: "Export exercise", zh: "匯出練習", ja: "演習を書き出す" },
    ExportSettings => { en: "Export my settings", zh: "匯出我的設定", ja: "自分の設定を書き出す" },
    ExportChart => { en: "Export chart", zh: "匯出圖表", ja: "グラフを書き出す" },
    // Time travel: the timeline and branches.
    TimelineLabel => { en: "Timeline", zh: "時間軸", ja: "タイムライン" },
    TimelineScrub => { en: "Simulated time: drag to travel", zh: "模擬時間：拖曳以穿梭", ja: "シミュレーション時刻：ドラッグで移動" },
    TimelineTime => { en: "{now} of {end}", zh: "{now} / {end}", ja: "{now} / {end}" },
    TimelinePast => {
        en: "You are in the past of this branch. Play to replay its future, or act to start a new branch; this one is kept.",
        zh: "你正位於此分支的過去。按播放會重演它的未來；在此操作則會開出新分支，原分支保留不變。",
        ja: "このブランチの過去にいます。再生するとその未来を再現し、ここで操作すると新しいブランチができます（元のブランチは残ります）。",
    },
    MarkAt => { en: "{action} at {time}", zh: "{time}：{action}", ja: "{time}：{action}" },
    ActionKill => { en: "kill {target}", zh: "終止 {target}", ja: "{target} を停止" },
    ActionHang => { en: "hang {target}", zh: "讓 {target} 卡住", ja: "{target} をハング" },
    ActionSlow => { en: "slow {target} ×{factor}", zh: "{target} 變慢 ×{factor}", ja: "{target} を {factor} 倍遅く" },
    ActionRestore => { en: "restore {target}", zh: "恢復 {target}", ja: "{target} を復旧" },
    ActionAdd => { en: "add {target}", zh: "新增 {target}", ja: "{target} を追加" },
    ActionRemove => { en: "remove {target}", zh: "移除 {target}", ja: "{target} を削除" },
    ActionScale => { en: "scale {target} to {n}", zh: "{target} 調整為 {n} 個實例", ja: "{target} を {n} インスタンスに" },
    ActionConfigure => { en: "set {settings}", zh: "設定 {settings}", ja: "設定 {settings}" },
    BranchesTitle => { en: "Branches", zh: "分支", ja: "ブランチ" },
    BranchesNote => {
        en: "Acting at a past moment starts a new branch. Switch between them, or compare two.",
        zh: "在過去的時刻操作會開出新分支。可以在分支間切換，或比較兩個分支。",
        ja: "過去の時点で操作すると新しいブランチができます。切り替えたり、二つを比べたりできます。",
    },
    BranchOriginal => { en: "Branch {id}: the original run", zh: "分支 {id}：原本的執行", ja: "ブランチ {id}：元の実行" },
    BranchFrom => {
        en: "Branch {id}: from branch {parent} at {time}, {change}",
        zh: "分支 {id}：於 {time} 從分支 {parent} 分出，{change}",
        ja: "ブランチ {id}：{time} にブランチ {parent} から分岐、{change}",
    },
    CompareWith => { en: "Compare with", zh: "比較對象", ja: "比較対象" },
    CompareNone => { en: "No comparison", zh: "不比較", ja: "比較しない" },
    CompareBranch => { en: "Branch {id}", zh: "分支 {id}", ja: "ブランチ {id}" },
    CompareTitle => {
        en: "Branch {this} against branch {other}, both at {time}",
        zh: "分支 {this} 對比分支 {other}，皆在 {time}",
        ja: "ブランチ {this} とブランチ {other} の比較（どちらも {time} 時点）",
    },
    CompareMetric => { en: "Figure", zh: "指標", ja: "指標" },
    CompareFaded => { en: "faded: branch {id}", zh: "淡色：分支 {id}", ja: "薄い線：ブランチ {id}" },
}
