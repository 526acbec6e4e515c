//! Guided narration for every preset: a few steps, each tied to a simulated time or a user action, each pointing at a part of the screen.
//!
//! The texts live here rather than in the i18n catalog because they belong to
//! one preset each; [`Text`] still needs all three languages to compile. The
//! [`Narration`] state machine is plain data: the UI feeds it the simulated time,
//! the user's actions and the settled fault episodes, and it answers which step
//! to show and whether to pause for the user to act.

use crate::i18n::Locale;
use crate::sim::scenario::ActionKind;

/// A sentence in every language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
    pub ja: &'static str,
}

impl Text {
    pub fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.en,
            Locale::ZhHant => self.zh,
            Locale::Ja => self.ja,
        }
    }
}

macro_rules! t {
    ($en:expr, $zh:expr, $ja:expr $(,)?) => {
        Text {
            en: $en,
            zh: $zh,
            ja: $ja,
        }
    };
}

/// When a step appears.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    /// As soon as the preset opens.
    Start,
    /// When the simulated clock reaches this time.
    AtMs(f64),
    /// When the user has applied this action to this target.
    Acted(ActionKind, &'static str),
    /// When the fault episode on this target has settled in both worlds.
    Settled(&'static str),
    /// When the run reaches its end.
    End,
}

/// One step of a preset's narration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub trigger: Trigger,
    /// The `data-testid` of the part of the screen the step talks about.
    pub points_at: &'static str,
    pub text: Text,
    /// The narration pauses here until the user applies this action to this target.
    pub waits_for: Option<(ActionKind, &'static str)>,
}

const fn step(trigger: Trigger, points_at: &'static str, text: Text) -> Step {
    Step {
        trigger,
        points_at,
        text,
        waits_for: None,
    }
}

const fn act(
    trigger: Trigger,
    points_at: &'static str,
    text: Text,
    action: ActionKind,
    target: &'static str,
) -> Step {
    Step {
        trigger,
        points_at,
        text,
        waits_for: Some((action, target)),
    }
}

use ActionKind::{Kill, Restore};
use Trigger::{Acted, AtMs, End, Settled, Start};

/// Most steps a narration has (the test holds every guide to three to six).
pub const STEPS_MAX: usize = 6;

/// A preset's title and narration.
#[derive(Clone, Copy, Debug)]
pub struct Guide {
    pub preset: &'static str,
    pub title: Text,
    pub steps: &'static [Step],
}

/// Every preset's guide, in the order of `presets::PRESETS`.
pub const GUIDES: &[Guide] = &[
    Guide {
        preset: "happy-path",
        title: t!("Happy path", "一切正常", "正常系"),
        steps: &[
            step(
                Start,
                "sync-panel",
                t!(
                    "Left, the synchronous world: sign-up calls email, analytics and cache, and answers the user only when all of them have answered.",
                    "左邊是同步世界：註冊服務呼叫 email、analytics 和 cache，等它們全部回應後才回應使用者。",
                    "左は同期の世界です。signup は email、analytics、cache を呼び出し、すべてが応答してからユーザーに応答します。"
                ),
            ),
            step(
                AtMs(3_000.0),
                "event-panel",
                t!(
                    "Right, the same traffic event-driven: sign-up appends one event to the log and answers at once. Each consumer group reads the log at its own pace.",
                    "右邊是同樣的流量，改為事件驅動：註冊服務把一個事件寫入日誌後立刻回應。每個消費者群組各自以自己的步調讀取日誌。",
                    "右は同じトラフィックをイベント駆動で処理します。signup はログにイベントをひとつ追記してすぐ応答し、各コンシューマーグループは自分のペースでログを読みます。"
                ),
            ),
            act(
                AtMs(8_000.0),
                "sync-node-analytics",
                t!(
                    "Your turn: kill analytics. Click it (or Tab to it and press Enter), then choose Kill.",
                    "換你了：停掉 analytics。點一下它（或用 Tab 移到它再按 Enter），然後選「停止」。",
                    "あなたの番です。analytics を停止してください。クリックする（または Tab で移動して Enter）と、「停止」を選べます。"
                ),
                Kill,
                "analytics",
            ),
            step(
                Acted(Kill, "analytics"),
                "sync-score-lost",
                t!(
                    "Compare the scoreboards: sync sign-ups fail and their analytics records are lost. The event world still answers every user; only the analytics group's lag grows.",
                    "比較兩邊的記分板：同步世界的註冊失敗，分析紀錄遺失。事件世界仍然回應每位使用者，只有 analytics 消費者群組的滯後在增加。",
                    "スコアボードを比べてください。同期の世界ではサインアップが失敗し、分析記録が失われます。イベントの世界は全ユーザーに応答し続け、analytics グループのラグだけが増えます。"
                ),
            ),
            act(
                AtMs(25_000.0),
                "lag-analytics",
                t!(
                    "Now restore analytics and watch its lag.",
                    "現在恢復 analytics，並觀察它的滯後。",
                    "analytics を復旧して、そのラグを見てください。"
                ),
                Restore,
                "analytics",
            ),
            step(
                Settled("analytics"),
                "event-score-lost",
                t!(
                    "The analytics group resumed from its committed offset and replayed what it missed: the lag drained and nothing was lost. The sync world's failures stay failed.",
                    "analytics 群組從已提交的偏移量繼續，重播了錯過的事件：滯後歸零，沒有任何遺失。同步世界的失敗則無法挽回。",
                    "analytics グループはコミット済みのオフセットから再開し、逃したイベントを再処理しました。ラグは解消し、何も失われていません。同期の世界の失敗は失敗のままです。"
                ),
            ),
        ],
    },
    Guide {
        preset: "killed-consumer",
        title: t!(
            "A killed consumer",
            "消費者被停掉",
            "停止したコンシューマー"
        ),
        steps: &[
            step(
                Start,
                "sync-node-analytics",
                t!(
                    "Analytics will die at 20 s and come back at 35 s. Press play and watch both sides.",
                    "analytics 會在 20 秒時停止，35 秒時恢復。按下播放，同時觀察兩邊。",
                    "analytics は 20 秒で停止し、35 秒で戻ります。再生して両側を見てください。"
                ),
            ),
            step(
                AtMs(21_000.0),
                "sync-score-success",
                t!(
                    "Analytics is down. In the sync world every sign-up that calls it fails: the user sees an error, and the record is lost.",
                    "analytics 停止了。在同步世界中，每個呼叫它的註冊都失敗：使用者看到錯誤，紀錄也遺失了。",
                    "analytics が停止しました。同期の世界では、それを呼ぶサインアップがすべて失敗します。ユーザーはエラーを受け取り、記録は失われます。"
                ),
            ),
            step(
                AtMs(26_000.0),
                "lag-analytics",
                t!(
                    "In the event world users notice nothing. The events wait in the log; the analytics group's lag is the work it owes.",
                    "在事件世界中，使用者什麼都沒察覺。事件留在日誌裡等待；analytics 群組的滯後就是它欠下的工作。",
                    "イベントの世界では、ユーザーは何も気づきません。イベントはログで待っており、analytics グループのラグは未処理の仕事の量です。"
                ),
            ),
            step(
                Settled("analytics"),
                "event-score-lost",
                t!(
                    "Back at 35 s, the group replays from its last committed offset and catches up. Lost effects: none in the event world.",
                    "35 秒時恢復後，群組從最後提交的偏移量重播並追上進度。事件世界遺失的效果：零。",
                    "35 秒に復旧すると、グループは最後にコミットしたオフセットから再処理して追いつきます。イベントの世界で失われた効果はゼロです。"
                ),
            ),
        ],
    },
    Guide {
        preset: "hung-leaf",
        title: t!(
            "A hung leaf exhausts the pools",
            "卡住的葉節點耗盡執行緒池",
            "ハングした末端がプールを使い果たす"
        ),
        steps: &[
            step(
                Start,
                "sync-node-template",
                t!(
                    "Template, a leaf under email, will hang at 15 s: it accepts work and never answers. Logins never call it.",
                    "template 是 email 底下的葉節點，會在 15 秒時卡住：接受工作卻永不回應。登入根本不會呼叫它。",
                    "email の下の末端 template は 15 秒でハングします。仕事を受け付けても応答しません。ログインはそれを呼びません。"
                ),
            ),
            step(
                AtMs(20_000.0),
                "sync-node-email",
                t!(
                    "Email's workers each wait 10 s for template, so the pool fills. Then sign-up's workers wait for email.",
                    "email 的每個工作執行緒都要等 template 10 秒，所以池子被佔滿。接著註冊服務的工作執行緒也在等 email。",
                    "email のワーカーはそれぞれ template を 10 秒待つので、プールが埋まります。続いて signup のワーカーが email を待ちます。"
                ),
            ),
            step(
                AtMs(28_000.0),
                "sync-score-success",
                t!(
                    "Now logins fail too: they queue behind sign-up's stuck workers. A hung leaf took down a request kind that never touches it.",
                    "現在連登入也失敗了：它們排在註冊服務卡住的工作執行緒後面。一個卡住的葉節點拖垮了根本不會碰到它的請求類型。",
                    "今度はログインも失敗します。signup の詰まったワーカーの後ろに並ぶからです。ハングした末端が、それに触れないリクエストまで倒しました。"
                ),
            ),
            step(
                AtMs(32_000.0),
                "lag-email",
                t!(
                    "In the event world only the email group stalls. It shows as lag; users are answered as usual.",
                    "在事件世界中，只有 email 群組停滯。這只表現為滯後；使用者照常得到回應。",
                    "イベントの世界では email グループだけが止まります。それはラグとして現れ、ユーザーには通常どおり応答します。"
                ),
            ),
            step(
                Settled("template"),
                "charts",
                t!(
                    "Template is back. The charts show the whole story: sync success fell for every kind; event lag rose and drained.",
                    "template 恢復了。圖表呈現完整經過：同步世界所有類型的成功率都下降；事件世界的滯後上升後又消退。",
                    "template が戻りました。グラフが全体を示しています。同期ではすべての種類の成功率が下がり、イベントではラグが増えてから解消しました。"
                ),
            ),
        ],
    },
    Guide {
        preset: "slow-callee",
        title: t!(
            "A slow callee: blocking against backlog",
            "慢速的被呼叫者：阻塞與積壓",
            "遅い呼び出し先：ブロッキングとバックログ"
        ),
        steps: &[
            step(
                Start,
                "sync-node-email",
                t!(
                    "At 15 s email becomes 40 times slower, for 30 s.",
                    "15 秒時 email 會變慢 40 倍，持續 30 秒。",
                    "15 秒に email が 40 倍遅くなり、30 秒続きます。"
                ),
            ),
            step(
                AtMs(20_000.0),
                "sync-score-p99",
                t!(
                    "Sync callers wait for email, so every sign-up is as slow as email. When the wait passes the timeout, the user gets an error, and retries pile on more work.",
                    "同步的呼叫者要等 email，所以每個註冊都和 email 一樣慢。等待超過逾時，使用者就收到錯誤，重試又增加更多工作。",
                    "同期の呼び出し元は email を待つので、サインアップはすべて email と同じだけ遅くなります。待ちがタイムアウトを超えるとユーザーにエラーが返り、リトライが仕事を積み増します。"
                ),
            ),
            step(
                AtMs(25_000.0),
                "event-score-p99",
                t!(
                    "The event world's p99 has not moved: sign-up does not wait for email. The slowness becomes a backlog in the email group instead.",
                    "事件世界的 p99 完全沒變：註冊服務不等 email。變慢的代價轉成 email 群組的積壓。",
                    "イベントの世界の p99 は変わりません。signup は email を待たないからです。遅さは email グループのバックログに変わります。"
                ),
            ),
            step(
                Settled("email"),
                "lag-email",
                t!(
                    "Email is fast again and the backlog drains. Blocking spread the slowness to users; the log absorbed it.",
                    "email 恢復速度，積壓逐漸消化。阻塞把慢傳給了使用者；日誌則把它吸收了。",
                    "email が速さを取り戻し、バックログは解消します。ブロッキングは遅さをユーザーに広げ、ログはそれを吸収しました。"
                ),
            ),
        ],
    },
    Guide {
        preset: "add-consumer",
        title: t!(
            "Adding a consumer: a code change against a subscription",
            "新增消費者：改程式碼與訂閱",
            "コンシューマーの追加：コード変更と購読"
        ),
        steps: &[
            step(
                Start,
                "sync-node-signup",
                t!(
                    "At 20 s the team adds an audit log. Watch what each world needs for that.",
                    "20 秒時團隊要加上稽核紀錄。看看兩個世界各需要做什麼。",
                    "20 秒にチームが監査ログを追加します。それぞれの世界で何が必要か見てください。"
                ),
            ),
            step(
                AtMs(21_000.0),
                "sync-node-signup",
                t!(
                    "Sync: sign-up's code must call audit, so sign-up is redeployed. Until the redeploy is done, sign-ups are not audited at all.",
                    "同步：註冊服務的程式碼必須呼叫 audit，所以要重新部署。部署完成前，註冊完全不會被稽核。",
                    "同期：signup のコードが audit を呼ぶ必要があるので、signup を再デプロイします。完了までサインアップは監査されません。"
                ),
            ),
            step(
                AtMs(23_000.0),
                "event-node-audit",
                t!(
                    "Event: audit is a new consumer group that subscribes to the topic. The producer did not change.",
                    "事件：audit 是訂閱主題的新消費者群組。生產者完全沒有改。",
                    "イベント：audit はトピックを購読する新しいコンシューマーグループです。プロデューサーは変わりません。"
                ),
            ),
            step(
                AtMs(32_000.0),
                "sync-diff-5",
                t!(
                    "The sync world's diff shows the code change. Every new consumer is another change, redeploy and failure path in sign-up.",
                    "同步世界的差異標示出程式碼的改動。每多一個消費者，註冊服務就多一次修改、一次部署、一條失敗路徑。",
                    "同期の世界の差分がコード変更を示しています。コンシューマーが増えるたびに、signup に変更、デプロイ、失敗経路がひとつ増えます。"
                ),
            ),
        ],
    },
    Guide {
        preset: "retry-storm",
        title: t!(
            "A retry storm (metastable failure)",
            "重試風暴（亞穩態故障）",
            "リトライストーム（メタステーブル障害）"
        ),
        steps: &[
            step(
                Start,
                "sync-node-payments",
                t!(
                    "Checkout calls payments with a 300 ms timeout and three immediate retries. At 10 s payments slows down for 10 s.",
                    "結帳服務以 300 毫秒逾時呼叫付款服務，並立即重試三次。10 秒時付款服務變慢 10 秒。",
                    "checkout は payments を 300 ms のタイムアウトで呼び、すぐに 3 回リトライします。10 秒に payments が 10 秒間遅くなります。"
                ),
            ),
            step(
                AtMs(14_000.0),
                "sync-node-payments",
                t!(
                    "Calls time out, and each timeout sends another call. Payments' queue fills with work whose callers have already given up.",
                    "呼叫逾時，每次逾時又送出另一個呼叫。付款服務的佇列塞滿了呼叫者早已放棄的工作。",
                    "呼び出しがタイムアウトし、そのたびに次の呼び出しが送られます。payments のキューは、呼び出し元がすでに諦めた仕事で埋まります。"
                ),
            ),
            step(
                AtMs(30_000.0),
                "sync-score-success",
                t!(
                    "The slowdown ended at 20 s, yet checkout still fails: the retries alone keep payments overloaded. That is a metastable failure.",
                    "變慢在 20 秒就結束了，結帳卻仍然失敗：光是重試就讓付款服務持續過載。這就是亞穩態故障。",
                    "遅延は 20 秒に終わったのに、checkout は失敗し続けます。リトライだけで payments が過負荷のままなのです。これがメタステーブル障害です。"
                ),
            ),
            step(
                AtMs(34_000.0),
                "set-retries",
                t!(
                    "Try it: set retries to 0, or turn on the circuit breaker. The run replays from the start with your setting.",
                    "試試看：把重試次數設為 0，或開啟斷路器。模擬會套用你的設定從頭重播。",
                    "試してみましょう。リトライを 0 にするか、サーキットブレーカーを有効にします。設定を反映して最初から再生されます。"
                ),
            ),
        ],
    },
    Guide {
        preset: "at-most-once",
        title: t!(
            "At-most-once: committed, then lost",
            "至多一次：先提交，後遺失",
            "最大 1 回：コミット後に喪失"
        ),
        steps: &[
            step(
                Start,
                "set-commit",
                t!(
                    "The analytics consumer commits each offset before it processes the event, and it will crash every 2 s from 10 s on.",
                    "analytics 消費者在處理事件之前就提交偏移量，並且從 10 秒起每 2 秒當機一次。",
                    "analytics のコンシューマーはイベントを処理する前にオフセットをコミットし、10 秒以降 2 秒ごとにクラッシュします。"
                ),
            ),
            step(
                AtMs(16_000.0),
                "event-node-analytics",
                t!(
                    "At each crash, the event it was working on is already committed. On restart the group resumes after it, so that event is never processed.",
                    "每次當機時，正在處理的事件已經提交過了。重啟後群組從它之後繼續，所以那個事件永遠不會被處理。",
                    "クラッシュのたびに、処理中のイベントはすでにコミット済みです。再起動したグループはその次から再開するので、そのイベントは処理されません。"
                ),
            ),
            step(
                End,
                "event-score-lost",
                t!(
                    "Lost, never duplicated: that is at-most-once. Switch commit to after processing and the losses become duplicates instead.",
                    "只會遺失、不會重複：這就是至多一次。把提交改成處理後，遺失就會變成重複。",
                    "失われるが重複はしない。これが最大 1 回です。コミットを処理後に変えると、喪失は重複に変わります。"
                ),
            ),
        ],
    },
    Guide {
        preset: "at-least-once",
        title: t!(
            "At-least-once: duplicates, fixed by idempotence",
            "至少一次：重複，以冪等性解決",
            "最低 1 回：重複と冪等性による解決"
        ),
        steps: &[
            step(
                Start,
                "set-commit",
                t!(
                    "The analytics consumer auto-commits every 5 s, Kafka's default, and crashes eight times.",
                    "analytics 消費者每 5 秒自動提交一次（Kafka 的預設），並且會當機八次。",
                    "analytics のコンシューマーは Kafka の既定どおり 5 秒ごとに自動コミットし、8 回クラッシュします。"
                ),
            ),
            step(
                AtMs(17_000.0),
                "event-node-analytics",
                t!(
                    "After a crash the group restarts from its last commit and processes again everything since: the same events, twice.",
                    "當機後，群組從最後一次提交重新開始，再處理一遍之後的所有事件：同樣的事件處理了兩次。",
                    "クラッシュ後、グループは最後のコミットから再開し、それ以降をすべてもう一度処理します。同じイベントが 2 回処理されます。"
                ),
            ),
            step(
                AtMs(30_000.0),
                "event-score-duplicated",
                t!(
                    "Duplicated, never lost: at-least-once. Turn on idempotent consumers: replays are recognised by event id and skipped.",
                    "會重複、不會遺失：至少一次。開啟冪等消費者：重播的事件會依事件編號辨識並略過。",
                    "重複するが失われない。最低 1 回です。冪等なコンシューマーを有効にすると、再処理はイベント ID で見分けられてスキップされます。"
                ),
            ),
            step(
                End,
                "set-idempotent",
                t!(
                    "Try the checkbox now; the run replays with it from the start.",
                    "現在就勾選看看；模擬會從頭套用它重播。",
                    "チェックボックスを試してください。最初から反映して再生されます。"
                ),
            ),
        ],
    },
    Guide {
        preset: "retention-too-short",
        title: t!("Retention too short", "保留期間太短", "保持期間が短すぎる"),
        steps: &[
            step(
                Start,
                "set-retention",
                t!(
                    "The topic keeps events for only 10 s. Analytics will be down from 10 s to 40 s.",
                    "主題只保留事件 10 秒。analytics 會在 10 秒到 40 秒之間停止。",
                    "トピックはイベントを 10 秒しか保持しません。analytics は 10 秒から 40 秒まで停止します。"
                ),
            ),
            step(
                AtMs(25_000.0),
                "partition-0",
                t!(
                    "The partitions' oldest cells are deleted as the retention horizon slides forward, read or not.",
                    "隨著保留期限往前推，分區最舊的格子會被刪除，不管有沒有被讀過。",
                    "保持期限が進むにつれ、パーティションの古いセルは読まれたかどうかに関係なく削除されます。"
                ),
            ),
            step(
                Settled("analytics"),
                "event-score-lost",
                t!(
                    "Analytics came back to find its events gone: lost, reason retention. A log only replays what it still holds.",
                    "analytics 回來時，它的事件已經不見了：遺失，原因是保留期限。日誌只能重播它還保有的內容。",
                    "analytics が戻ると、イベントはもうありません。理由は保持期限による喪失です。ログが再生できるのは、まだ持っているものだけです。"
                ),
            ),
        ],
    },
    Guide {
        preset: "acks-zero-broker-crash",
        title: t!(
            "acks=0 and a broker crash",
            "acks=0 與 broker 當機",
            "acks=0 とブローカーのクラッシュ"
        ),
        steps: &[
            step(
                Start,
                "set-acks",
                t!(
                    "The producer sends with acks=0: it answers the user without waiting for any broker.",
                    "生產者以 acks=0 發送：不等任何 broker 確認就回應使用者。",
                    "プロデューサーは acks=0 で送信します。どのブローカーも待たずにユーザーに応答します。"
                ),
            ),
            step(
                AtMs(21_000.0),
                "broker-0",
                t!(
                    "Broker 0 crashed. Its partitions have no leader for 5 s, and the events sent to them meanwhile vanish.",
                    "broker 0 當機了。它的分區有 5 秒沒有 leader，這段時間送過去的事件全部消失。",
                    "ブローカー 0 がクラッシュしました。そのパーティションには 5 秒間リーダーがなく、その間に送られたイベントは消えます。"
                ),
            ),
            step(
                AtMs(30_000.0),
                "event-score-inconsistent",
                t!(
                    "Those users were told success, but their effects never happen: inconsistent requests. Set acks to all and compare.",
                    "那些使用者被告知成功，效果卻永遠不會發生：不一致的請求。把 acks 設成 all 比較看看。",
                    "そのユーザーには成功と伝えられましたが、効果は起きません。不整合なリクエストです。acks を all にして比べてください。"
                ),
            ),
        ],
    },
    Guide {
        preset: "poison-event",
        title: t!(
            "A poison event: a blocked partition against a DLQ",
            "毒藥事件：阻塞的分區與死信佇列",
            "ポイズンイベント：詰まったパーティションと DLQ"
        ),
        steps: &[
            step(
                Start,
                "event-panel",
                t!(
                    "One event in 500 cannot be parsed by any consumer.",
                    "每 500 個事件中就有 1 個無法被任何消費者解析。",
                    "500 件に 1 件、どのコンシューマーも解析できないイベントがあります。"
                ),
            ),
            step(
                AtMs(10_000.0),
                "lag-email",
                t!(
                    "Without a DLQ the consumer retries the bad event forever. Its partition stops; the lag of every group grows there while the other partitions flow.",
                    "沒有死信佇列時，消費者會永遠重試這個壞事件。它的分區停住了；其他分區照常流動，這個分區上每個群組的滯後卻不斷增加。",
                    "DLQ がないと、コンシューマーは壊れたイベントを永遠にリトライします。そのパーティションは止まり、他のパーティションが流れる間に、全グループのラグが増えます。"
                ),
            ),
            step(
                AtMs(20_000.0),
                "set-dlq",
                t!(
                    "Turn on the DLQ: after three attempts the bad event is parked there, and the partition moves on.",
                    "開啟死信佇列：嘗試三次後，壞事件會被移到那裡，分區繼續前進。",
                    "DLQ を有効にすると、3 回試した後で壊れたイベントはそこに退避され、パーティションは先へ進みます。"
                ),
            ),
            step(
                AtMs(30_000.0),
                "sync-score-success",
                t!(
                    "The sync world never blocks on a bad message: the single request fails instead. Both are choices about who pays.",
                    "同步世界不會因壞訊息而阻塞：只有那一個請求失敗。兩者都是在決定由誰付出代價。",
                    "同期の世界は壊れたメッセージで詰まりません。そのリクエストひとつが失敗するだけです。どちらも、誰が代償を払うかの選択です。"
                ),
            ),
        ],
    },
    Guide {
        preset: "scale-out",
        title: t!(
            "Scaling out a group",
            "擴展消費者群組",
            "グループのスケールアウト"
        ),
        steps: &[
            step(
                Start,
                "lag-email",
                t!(
                    "Email is slow and its group has two instances: they cannot keep up, so the lag climbs.",
                    "email 很慢，它的群組只有兩個實例：跟不上，所以滯後一直攀升。",
                    "email は遅く、そのグループのインスタンスは 2 つです。追いつけないのでラグが増えます。"
                ),
            ),
            step(
                AtMs(21_000.0),
                "event-node-email",
                t!(
                    "At 20 s the group scales to nine instances. Watch the rebalance pause, then the partitions spread over the instances.",
                    "20 秒時群組擴展到九個實例。觀察再平衡的暫停，以及分區如何分配到各實例。",
                    "20 秒にグループは 9 インスタンスへスケールします。リバランスの一時停止と、パーティションの割り当てを見てください。"
                ),
            ),
            step(
                AtMs(30_000.0),
                "event-node-email",
                t!(
                    "Six partitions, so only six instances work. Three sit idle: a partition is read by one instance of a group at a time.",
                    "只有六個分區，所以只有六個實例在工作。三個閒置：同一時間一個分區只由群組中的一個實例讀取。",
                    "パーティションは 6 つなので、働けるインスタンスは 6 つだけです。3 つはアイドルです。ひとつのパーティションを読むのは、グループ内の一度にひとつのインスタンスだけです。"
                ),
            ),
        ],
    },
    Guide {
        preset: "ordering",
        title: t!(
            "Ordering across partitions",
            "跨分區的順序",
            "パーティションをまたぐ順序"
        ),
        steps: &[
            step(
                Start,
                "partition-0",
                t!(
                    "Events are keyed by user, so all of one user's events land in the same partition, in order.",
                    "事件以使用者為鍵，所以同一位使用者的所有事件都會依序落在同一個分區。",
                    "イベントはユーザーをキーにしているので、あるユーザーのイベントはすべて同じパーティションに順番どおり入ります。"
                ),
            ),
            step(
                AtMs(10_000.0),
                "event-node-analytics",
                t!(
                    "Three instances read six partitions in parallel, so the group processes many events after ones published later. Per user the order holds; across users it does not.",
                    "三個實例平行讀取六個分區，所以群組常常先處理較晚發佈的事件。同一使用者的順序不變；跨使用者則沒有順序。",
                    "3 つのインスタンスが 6 つのパーティションを並行して読むので、後から発行されたイベントを先に処理することがよくあります。ユーザーごとの順序は保たれ、ユーザー間の順序は保たれません。"
                ),
            ),
            step(
                AtMs(20_000.0),
                "event-panel",
                t!(
                    "One partition would keep a total order, and let only one instance work. The sync world orders per request, because the caller waits.",
                    "只用一個分區可以維持全域順序，但只有一個實例能工作。同步世界以請求為單位維持順序，因為呼叫者會等待。",
                    "パーティションがひとつなら全体の順序は保たれますが、働けるインスタンスはひとつだけです。同期の世界では、呼び出し元が待つのでリクエスト単位で順序が保たれます。"
                ),
            ),
        ],
    },
    Guide {
        preset: "rebuild-from-earliest",
        title: t!(
            "Rebuilding state from earliest",
            "從最早的事件重建狀態",
            "最古のイベントから状態を再構築"
        ),
        steps: &[
            step(
                Start,
                "event-panel",
                t!(
                    "At 40 s a search index is added. It reads the topic from the earliest offset.",
                    "40 秒時加入搜尋索引。它從最早的偏移量開始讀取主題。",
                    "40 秒に検索インデックスが追加されます。トピックを最古のオフセットから読みます。"
                ),
            ),
            step(
                AtMs(42_000.0),
                "lag-search",
                t!(
                    "The new group starts 1,600 events behind and works through every sign-up so far: it rebuilds its state from the log, like event sourcing.",
                    "新群組一開始就落後約 1,600 個事件，並把至今所有的註冊處理一遍：從日誌重建狀態，就像事件溯源。",
                    "新しいグループは約 1,600 イベント遅れて始まり、これまでのサインアップをすべて処理します。イベントソーシングのように、ログから状態を再構築します。"
                ),
            ),
            step(
                AtMs(52_000.0),
                "sync-done-search",
                t!(
                    "In the sync world the past is gone: search sees only requests after sign-up is redeployed.",
                    "在同步世界中，過去已經消失：搜尋服務只看得到註冊服務重新部署之後的請求。",
                    "同期の世界では過去は失われています。search が見るのは signup の再デプロイ後のリクエストだけです。"
                ),
            ),
        ],
    },
    Guide {
        preset: "quiet-system",
        title: t!(
            "A quiet system: sync is simply simpler",
            "安靜的系統：同步就是比較簡單",
            "静かなシステム：同期のほうが単純"
        ),
        steps: &[
            step(
                Start,
                "sync-panel",
                t!(
                    "One request a second, nothing fails.",
                    "每秒一個請求，沒有任何失敗。",
                    "1 秒に 1 リクエスト、何も失敗しません。"
                ),
            ),
            step(
                AtMs(10_000.0),
                "event-panel",
                t!(
                    "The event world runs brokers, partitions, offsets and consumer groups, and its effects happen a little after the user is answered.",
                    "事件世界要維運 broker、分區、偏移量和消費者群組，而且效果會在回應使用者之後才稍晚發生。",
                    "イベントの世界はブローカー、パーティション、オフセット、コンシューマーグループを動かし、効果はユーザーへの応答の少し後に起きます。"
                ),
            ),
            step(
                AtMs(30_000.0),
                "sync-scoreboard",
                t!(
                    "Both scoreboards are perfect. When nothing goes wrong and nobody else needs the events, a direct call is simpler to build, run and debug.",
                    "兩邊的記分板都完美。當一切正常、也沒有別人需要這些事件時，直接呼叫更容易建置、運作和除錯。",
                    "どちらのスコアボードも完璧です。何も起きず、他に誰もイベントを必要としないなら、直接呼び出しのほうが作るのも運用もデバッグも簡単です。"
                ),
            ),
        ],
    },
    Guide {
        preset: "signup",
        title: t!(
            "Sign-up with a dead analytics (auto-commit)",
            "分析服務當機的註冊（自動提交）",
            "analytics 停止中のサインアップ（自動コミット）"
        ),
        steps: &[
            step(
                Start,
                "sync-node-analytics",
                t!(
                    "The default scenario: analytics dies from 20 s to 35 s, and consumers auto-commit every 5 s.",
                    "預設情境：analytics 在 20 秒到 35 秒之間停止，消費者每 5 秒自動提交一次。",
                    "既定のシナリオです。analytics は 20 秒から 35 秒まで停止し、コンシューマーは 5 秒ごとに自動コミットします。"
                ),
            ),
            step(
                AtMs(25_000.0),
                "sync-score-lost",
                t!(
                    "Sync sign-ups fail while analytics is down; the event world keeps answering.",
                    "analytics 停止期間，同步的註冊失敗；事件世界照常回應。",
                    "analytics の停止中、同期のサインアップは失敗し、イベントの世界は応答を続けます。"
                ),
            ),
            step(
                Settled("analytics"),
                "event-score-duplicated",
                t!(
                    "The analytics group replayed from its last auto-commit, so a few records were processed twice: duplicated, not lost.",
                    "analytics 群組從最後一次自動提交重播，所以有些紀錄被處理了兩次：重複，而非遺失。",
                    "analytics グループは最後の自動コミットから再処理したので、いくつかの記録が 2 回処理されました。喪失ではなく重複です。"
                ),
            ),
        ],
    },
];

/// The guide for a preset.
pub fn guide(preset: &str) -> Option<&'static Guide> {
    GUIDES.iter().find(|g| g.preset == preset)
}

/// What changed after [`Narration::update`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Nothing,
    /// A new step is showing; `pause` asks the player to stop for the user.
    Showed {
        index: usize,
        pause: bool,
    },
    /// The awaited action was done: the player may go on.
    Resume,
}

/// Where a preset's narration stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Narration {
    steps: &'static [Step],
    /// Steps revealed so far; the last of them is the current one.
    shown: usize,
    /// Actions the user applied, as (action, target).
    acted: Vec<(ActionKind, String)>,
    waiting: bool,
}

/// Actions remembered for triggers; more would be a user clicking for fun.
const ACTED_MAX: usize = 64;

impl Narration {
    pub fn for_preset(preset: &str) -> Narration {
        Narration {
            steps: guide(preset).map_or(&[], |g| g.steps),
            ..Narration::default()
        }
    }

    pub fn steps(&self) -> &'static [Step] {
        self.steps
    }

    /// The index of the step showing now.
    pub fn current(&self) -> Option<usize> {
        self.shown.checked_sub(1)
    }

    /// The action the narration is waiting for, if it paused for one.
    pub fn waiting_for(&self) -> Option<(ActionKind, &'static str)> {
        let step = self.steps.get(self.current()?)?;
        step.waits_for.filter(|_| self.waiting)
    }

    /// Remembers a user action; answers `Resume` when it was the one awaited.
    pub fn on_action(&mut self, action: ActionKind, target: &str) -> Change {
        if self.acted.len() < ACTED_MAX {
            self.acted.push((action, target.to_string()));
        }
        match self.waiting_for() {
            Some((awaited, awaited_target)) if awaited == action && awaited_target == target => {
                self.waiting = false;
                Change::Resume
            }
            _ => Change::Nothing,
        }
    }

    fn fired(
        &self,
        trigger: Trigger,
        now_ms: f64,
        settled: &dyn Fn(&str) -> bool,
        ended: bool,
    ) -> bool {
        match trigger {
            Start => true,
            AtMs(at) => now_ms >= at,
            Acted(action, target) => self.acted.iter().any(|(a, t)| *a == action && t == target),
            Settled(target) => settled(target),
            End => ended,
        }
    }

    /// Shows the next step if its trigger fired. Steps show in order, one per call,
    /// and none shows while the narration waits for the user.
    pub fn update(&mut self, now_ms: f64, settled: &dyn Fn(&str) -> bool, ended: bool) -> Change {
        if self.waiting {
            return Change::Nothing;
        }
        let Some(next) = self.steps.get(self.shown) else {
            return Change::Nothing;
        };
        if !self.fired(next.trigger, now_ms, settled, ended) {
            return Change::Nothing;
        }
        let index = self.shown;
        self.shown += 1;
        // An action the user already took needs no waiting for.
        let pause = next
            .waits_for
            .is_some_and(|(a, t)| !self.acted.iter().any(|(done, on)| *done == a && on == t));
        self.waiting = pause;
        Change::Showed { index, pause }
    }

    /// Moves on without waiting (the "Next" button).
    pub fn skip(&mut self) -> Change {
        let Some(next) = self.steps.get(self.shown) else {
            return Change::Nothing;
        };
        let index = self.shown;
        self.shown += 1;
        let pause = next
            .waits_for
            .is_some_and(|(a, t)| !self.acted.iter().any(|(done, on)| *done == a && on == t));
        self.waiting = pause;
        Change::Showed { index, pause }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::PRESETS;
    use crate::sim::scenario::Action;

    fn never(_: &str) -> bool {
        false
    }

    #[test]
    fn every_preset_has_a_guide_of_three_to_six_steps_in_every_language() {
        for (name, _) in PRESETS {
            let guide = guide(name).unwrap_or_else(|| panic!("{name} has no narration"));
            assert!(
                (3..=6).contains(&guide.steps.len()),
                "{name}: {} steps",
                guide.steps.len()
            );
            for text in std::iter::once(&guide.title).chain(guide.steps.iter().map(|s| &s.text)) {
                for locale in Locale::ALL {
                    assert!(
                        !text.get(locale).trim().is_empty(),
                        "{name}: empty {locale:?} text"
                    );
                }
                assert_ne!(text.zh, text.en, "{name}: untranslated `{}`", text.en);
                assert_ne!(text.ja, text.en, "{name}: untranslated `{}`", text.en);
            }
        }
        assert_eq!(
            GUIDES.len(),
            PRESETS.len(),
            "a guide for a preset that does not exist"
        );
    }

    /// Every step points at something the explainer draws for that preset.
    #[test]
    fn every_step_points_at_a_part_of_the_screen_that_exists() {
        use crate::sim::presets::preset;
        const FIXED: &[&str] = &[
            "sync-panel",
            "event-panel",
            "charts",
            "sync-scoreboard",
            "event-scoreboard",
            "dlq",
            "set-timeout",
            "set-retries",
            "set-breaker",
            "set-acks",
            "set-commit",
            "set-retention",
            "set-idempotent",
            "set-dlq",
        ];
        const SCORES: &[&str] = &[
            "success",
            "p99",
            "done",
            "duplicated",
            "lost",
            "pending",
            "inconsistent",
            "lag",
        ];
        for guide in GUIDES {
            let scenario = preset(guide.preset).unwrap();
            let mut names: Vec<String> = scenario.services.iter().map(|s| s.name.clone()).collect();
            names.extend(scenario.faults.iter().filter_map(|f| match &f.action {
                Action::AddService { service, .. } => Some(service.name.clone()),
                _ => None,
            }));
            for step in guide.steps {
                let id = step.points_at;
                let named = |prefix: &str| {
                    id.strip_prefix(prefix)
                        .is_some_and(|n| names.iter().any(|s| s == n))
                };
                let indexed = |prefix: &str, below: usize| {
                    id.strip_prefix(prefix)
                        .and_then(|n| n.parse::<usize>().ok())
                        .is_some_and(|n| n < below)
                };
                let score = ["sync-score-", "event-score-"]
                    .iter()
                    .any(|p| id.strip_prefix(p).is_some_and(|m| SCORES.contains(&m)));
                let ok = FIXED.contains(&id)
                    || score
                    || [
                        "sync-node-",
                        "event-node-",
                        "lag-",
                        "sync-done-",
                        "event-done-",
                    ]
                    .iter()
                    .any(|p| named(p))
                    || indexed("partition-", scenario.event.partitions as usize)
                    || indexed("broker-", scenario.event.brokers as usize)
                    || indexed("sync-diff-", names.len());
                assert!(ok, "{}: `{id}` is not on the screen", guide.preset);
            }
        }
    }

    #[test]
    fn steps_appear_in_order_as_time_passes() {
        let mut narration = Narration::for_preset("killed-consumer");
        assert_eq!(
            narration.update(0.0, &never, false),
            Change::Showed {
                index: 0,
                pause: false
            }
        );
        assert_eq!(narration.update(0.0, &never, false), Change::Nothing);
        assert_eq!(
            narration.update(21_000.0, &never, false),
            Change::Showed {
                index: 1,
                pause: false
            }
        );
        assert_eq!(
            narration.update(30_000.0, &never, false),
            Change::Showed {
                index: 2,
                pause: false
            }
        );
        assert_eq!(narration.update(40_000.0, &never, false), Change::Nothing);
        let settled = |target: &str| target == "analytics";
        assert_eq!(
            narration.update(40_000.0, &settled, false),
            Change::Showed {
                index: 3,
                pause: false
            }
        );
        assert_eq!(narration.current(), Some(3));
    }

    #[test]
    fn the_narration_pauses_for_the_user_and_resumes_on_the_right_action() {
        let mut narration = Narration::for_preset("happy-path");
        narration.update(0.0, &never, false);
        narration.update(3_000.0, &never, false);
        assert_eq!(
            narration.update(8_000.0, &never, false),
            Change::Showed {
                index: 2,
                pause: true
            }
        );
        assert_eq!(narration.waiting_for(), Some((Kill, "analytics")));
        assert_eq!(
            narration.update(60_000.0, &never, false),
            Change::Nothing,
            "waits, whatever the time"
        );
        assert_eq!(narration.on_action(Kill, "email"), Change::Nothing);
        assert_eq!(narration.on_action(Kill, "analytics"), Change::Resume);
        assert_eq!(
            narration.update(9_000.0, &never, false),
            Change::Showed {
                index: 3,
                pause: false
            }
        );
    }

    #[test]
    fn an_action_taken_early_is_not_asked_for_again() {
        let mut narration = Narration::for_preset("happy-path");
        narration.on_action(Kill, "analytics");
        narration.update(0.0, &never, false);
        narration.update(3_000.0, &never, false);
        assert_eq!(
            narration.update(8_000.0, &never, false),
            Change::Showed {
                index: 2,
                pause: false
            }
        );
        assert_eq!(
            narration.update(8_000.0, &never, false),
            Change::Showed {
                index: 3,
                pause: false
            }
        );
    }

    #[test]
    fn skipping_moves_on_without_waiting() {
        let mut narration = Narration::for_preset("happy-path");
        for _ in 0..3 {
            narration.skip();
        }
        assert!(narration.waiting_for().is_some());
        narration.skip();
        assert_eq!(narration.current(), Some(3));
        assert!(narration.waiting_for().is_none());
    }
}
