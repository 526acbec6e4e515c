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
}
