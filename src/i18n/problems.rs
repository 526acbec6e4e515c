//! Translations of the core's refusal messages ([`ProblemCode`]) into zh-Hant and ja.
//!
//! English comes from the core itself, so the CLI and the browser say the same thing.
//! The match below is exhaustive: a new problem code without both translations does not
//! compile. Values (names, numbers, JSON literals, field lists) are the user's own words
//! and stay as written.

use super::Locale;
use crate::sim::{Problem, ProblemCode};
use crate::template::fill_template;

macro_rules! translations {
    ($($code:ident => { zh: $zh:expr, ja: $ja:expr $(,)? }),* $(,)?) => {
        /// The template for `code` in `locale`.
        pub fn template(code: ProblemCode, locale: Locale) -> &'static str {
            match locale {
                Locale::En => code.english(),
                Locale::ZhHant => match code { $(ProblemCode::$code => $zh,)* },
                Locale::Ja => match code { $(ProblemCode::$code => $ja,)* },
            }
        }
    };
}

/// A problem in `locale`, filled with its values.
pub fn problem_text(problem: &Problem, locale: Locale) -> String {
    fill_template(template(problem.code(), locale), &problem.args())
}

translations! {
    Range => {
        zh: "必須介於 {min} 到 {max} 之間，目前是 {got}",
        ja: "{min}〜{max} の範囲で指定してください（指定値：{got}）",
    },
    RangeBelowBrokers => {
        zh: "必須介於 {min} 到 {max} 之間，目前是 {got}（不能超過 event.brokers）",
        ja: "{min}〜{max} の範囲で指定してください（指定値：{got}）。event.brokers を超えられません",
    },
    AtLeast => {
        zh: "至少要是 {min}，目前是 {got}",
        ja: "{min} 以上にしてください（指定値：{got}）",
    },
    AboveZero => {
        zh: "必須大於 0，目前是 {got}",
        ja: "0 より大きくしてください（指定値：{got}）",
    },
    NotBelow => {
        zh: "不能小於 {other}（{min}），目前是 {got}",
        ja: "{other}（{min}）を下回れません（指定値：{got}）",
    },
    Above => {
        zh: "必須大於 {other}（{min}），目前是 {got}",
        ja: "{other}（{min}）より大きくしてください（指定値：{got}）",
    },
    TooMany => {
        zh: "最多 {max} 項，目前有 {got} 項",
        ja: "最大 {max} 件までです（指定：{got} 件）",
    },
    TooLong => {
        zh: "超過 {max} 個字元",
        ja: "{max} 文字を超えています",
    },
    FileTooLarge => {
        zh: "超過 {max} 位元組",
        ja: "{max} バイトを超えています",
    },
    NotEmpty => {
        zh: "不能是空的",
        ja: "空にはできません",
    },
    BadName => {
        zh: "`{name}` 必須是 1 到 32 個英文字母、數字、- 或 _，且不能以 broker- 開頭",
        ja: "`{name}` は英数字・-・_ の 1〜32 文字で、broker- で始まらない名前にしてください",
    },
    UsedTwice => {
        zh: "`{name}` 重複使用了",
        ja: "`{name}` が重複しています",
    },
    NeedsEntry => {
        zh: "至少需要入口服務",
        ja: "少なくとも入口のサービスが必要です",
    },
    NoSuchService => {
        zh: "沒有名為 `{name}` 的服務",
        ja: "`{name}` という名前のサービスはありません",
    },
    EntryInTouches => {
        zh: "入口服務會處理每一個請求；這裡只列出它呼叫的服務",
        ja: "入口のサービスはすべてのリクエストを処理します。ここには呼び出し先のサービスだけを書いてください",
    },
    NoKindWeight => {
        zh: "至少要有一種請求的權重大於 0",
        ja: "少なくとも一つのリクエスト種別の重みを 0 より大きくしてください",
    },
    CallCycle => {
        zh: "呼叫 `{name}` 會形成循環",
        ja: "`{name}` を呼ぶと呼び出しが循環します",
    },
    CallListedTwice => {
        zh: "`{name}` 列了兩次",
        ja: "`{name}` が二回書かれています",
    },
    AlreadyCalled => {
        zh: "`{name}` 已經由 `{caller}` 呼叫；服務必須構成一棵樹",
        ja: "`{name}` はすでに `{caller}` から呼ばれています。サービスはツリーを成す必要があります",
    },
    Unreachable => {
        zh: "從入口出發的服務都沒有呼叫 `{name}`",
        ja: "入口からたどれるどのサービスも `{name}` を呼んでいません",
    },
    CallsFormCycle => {
        zh: "這些呼叫形成了循環",
        ja: "呼び出しが循環しています",
    },
    TooDeep => {
        zh: "`{name}` 超過 {max} 層（含入口）",
        ja: "`{name}` は入口を含めて {max} 階層より深くなっています",
    },
    NotATarget => {
        zh: "`{target}` 既不是服務也不是代理（broker-0 到 broker-{last_broker}）",
        ja: "`{target}` はサービスでもブローカー（broker-0〜broker-{last_broker}）でもありません",
    },
    BrokerCannotHang => {
        zh: "代理只能停止與恢復，不能卡住",
        ja: "ブローカーは停止と復旧だけができ、ハングさせることはできません",
    },
    NotAGroup => {
        zh: "`{target}` 不是消費者群組（入口直接呼叫的服務）",
        ja: "`{target}` はコンシューマーグループ（入口が直接呼ぶサービス）ではありません",
    },
    CallerNotAService => {
        zh: "呼叫方 `{target}` 不是服務",
        ja: "呼び出し元 `{target}` はサービスではありません",
    },
    AlreadyExists => {
        zh: "`{name}` 已經存在",
        ja: "`{name}` はすでに存在します",
    },
    AddedServiceHasCalls => {
        zh: "新加入的服務一開始是葉節點，不能有呼叫",
        ja: "追加したサービスは呼び出しのない末端から始まります",
    },
    ConfigureNeedsSettings => {
        zh: "`configure` 需要一個 `set` 物件，列出每個設定與新值",
        ja: "`configure` には、各設定と新しい値を並べた `set` オブジェクトが必要です",
    },
    NotRemovable => {
        zh: "`{target}` 不是可以移除的服務",
        ja: "`{target}` は取り除けるサービスではありません",
    },
    NoSuchSetting => {
        zh: "情境中沒有這個設定",
        ja: "シナリオにこの設定はありません",
    },
    NoSuchBranch => {
        zh: "沒有分支 {id}",
        ja: "分岐 {id} はありません",
    },
    NotAScenarioSetting => {
        zh: "`{path}` 不是這個情境的設定",
        ja: "`{path}` はこのシナリオの設定ではありません",
    },
    NotAllowedSetting => {
        zh: "這個練習不允許變更這項設定（允許的有：{allowed}）",
        ja: "この演習では変えられない設定です（変えられるもの：{allowed}）",
    },
    NeedsEnglishText => {
        zh: "需要 `en` 文字，作為其他語言的備用",
        ja: "ほかの言語の代わりに使う `en` のテキストが必要です",
    },
    TextOrTranslations => {
        zh: "必須是字串，或是語言標籤對應字串的物件",
        ja: "文字列か、言語タグから文字列への対応表にしてください",
    },
    SettingsObject => {
        zh: "設定必須是一個 JSON 物件，由設定名稱對應到值",
        ja: "設定は、設定名から値への JSON オブジェクト一つにしてください",
    },
    NoSuchPreset => {
        zh: "沒有名為 `{name}` 的預設情境（預設情境：{presets}）",
        ja: "`{name}` というプリセットはありません（プリセット：{presets}）",
    },
    PresetOrScenario => {
        zh: "必須是預設情境的名稱，或是情境物件",
        ja: "プリセット名かシナリオのオブジェクトにしてください",
    },
    GoalExpectedJoin => {
        zh: "第 {column} 個字元處應該是 `&&`、`||` 或目標的結尾，卻是 `{found}`",
        ja: "{column} 文字目には `&&`・`||`・目標の終わりのいずれかが必要ですが、`{found}` があります",
    },
    GoalExpectedOperator => {
        zh: "第 {column} 個字元處應該是 == != < <= > >= 之一，卻是 `{found}`",
        ja: "{column} 文字目には == != < <= > >= のいずれかが必要ですが、`{found}` があります",
    },
    GoalExpectedNumber => {
        zh: "第 {column} 個字元處應該是數字，卻是 `{found}`",
        ja: "{column} 文字目には数値が必要ですが、`{found}` があります",
    },
    GoalExpectedMetric => {
        zh: "第 {column} 個字元處應該是指標路徑（例如 `sync.failed`），卻是 `{found}`",
        ja: "{column} 文字目には `sync.failed` のような指標のパスが必要ですが、`{found}` があります",
    },
    GoalExpectedOperand => {
        zh: "第 {column} 個字元處應該是指標路徑或數字，卻是 `{found}`",
        ja: "{column} 文字目には指標のパスか数値が必要ですが、`{found}` があります",
    },
    GoalEndsEarly => {
        zh: "目標在第 {column} 個字元處提早結束：有一個比較沒有寫完",
        ja: "目標が {column} 文字目で途切れています。比較が完結していません",
    },
    NotAMetric => {
        zh: "`{path}` 不是報告中的指標：報告沒有 `{step}`；它有 {known}",
        ja: "`{path}` はレポートの指標ではありません。レポートに `{step}` はなく、あるのは {known} です",
    },
    NotAMetricInside => {
        zh: "`{path}` 不是報告中的指標：`{place}` 沒有 `{step}`；它有 {known}",
        ja: "`{path}` はレポートの指標ではありません。`{place}` に `{step}` はなく、あるのは {known} です",
    },
    MetricNotFinite => {
        zh: "`{path}` 不是有限的數字",
        ja: "`{path}` は有限の数値ではありません",
    },
    MetricIsGroup => {
        zh: "`{path}` 是一組指標，不是數字；請指定其中一個",
        ja: "`{path}` は指標のまとまりで、数値ではありません。中の一つを指定してください",
    },
    BadPercentEscape => {
        zh: "`%` 後面不是兩個十六進位數字",
        ja: "`%` の後ろに 16 進数 2 桁がありません",
    },
    NotUtf8 => {
        zh: "不是 UTF-8 文字",
        ja: "UTF-8 のテキストではありません",
    },
    NotBase64 => {
        zh: "不是 URL 安全的 base64",
        ja: "URL セーフな base64 ではありません",
    },
    NotAWholeNumber => {
        zh: "`{got}` 不是 0 到 {max} 之間的整數",
        ja: "`{got}` は 0〜{max} の整数ではありません",
    },
    NotANumber => {
        zh: "`{got}` 不是數字",
        ja: "`{got}` は数値ではありません",
    },
    NotSeconds => {
        zh: "`{got}` 不是以秒為單位的時間，例如 12.5",
        ja: "`{got}` は 12.5 のような秒単位の時刻ではありません",
    },
    NotOneOrZero => {
        zh: "`{got}` 不是 1 或 0",
        ja: "`{got}` は 1 でも 0 でもありません",
    },
    NamesNothing => {
        zh: "沒有指定任何項目（可用：{known}）",
        ja: "何も指定されていません（使えるもの：{known}）",
    },
    NotOneOf => {
        zh: "`{got}` 不是 {known} 之一",
        ja: "`{got}` は {known} のどれでもありません",
    },
    NotAnOrigin => {
        zh: "`{got}` 不是來源（origin），例如 https://docs.example.com",
        ja: "`{got}` は https://docs.example.com のようなオリジンではありません",
    },
    ActionMissing => {
        zh: "缺少了：請給一個動作，例如 kill，以及它的目標",
        ja: "ありません。kill などの操作と、その対象を指定してください",
    },
    NotACommand => {
        zh: "`{got}` 不是指令（play、pause、seek、inject、state）",
        ja: "`{got}` はコマンド（play・pause・seek・inject・state）ではありません",
    },
    NotText => {
        zh: "無法讀成文字",
        ja: "テキストとして読めません",
    },
    NotSaved => {
        zh: "瀏覽器無法儲存",
        ja: "ブラウザーが保存できませんでした",
    },
    JsonSyntax => {
        zh: "不是有效的 JSON：請檢查第 {line} 行第 {column} 欄附近",
        ja: "有効な JSON ではありません。{line} 行 {column} 列のあたりを確認してください",
    },
    JsonEndsEarly => {
        zh: "JSON 在第 {line} 行第 {column} 欄提早結束",
        ja: "JSON が {line} 行 {column} 列で途切れています",
    },
    JsonTrailing => {
        zh: "JSON 文件之後還有多餘的文字，位於第 {line} 行第 {column} 欄",
        ja: "JSON の後ろ（{line} 行 {column} 列）に余分なテキストがあります",
    },
    UnknownField => {
        zh: "未知的欄位 `{name}`；這裡的欄位有 {known}",
        ja: "`{name}` という項目はありません。ここで使える項目は {known} です",
    },
    UnknownVariant => {
        zh: "這裡不能用 `{name}`；請使用 {known} 之一",
        ja: "ここでは `{name}` は使えません。{known} のどれかを使ってください",
    },
    MissingField => {
        zh: "缺少欄位 `{name}`",
        ja: "項目 `{name}` がありません",
    },
    DuplicateField => {
        zh: "欄位 `{name}` 出現了兩次",
        ja: "項目 `{name}` が二回書かれています",
    },
    ExpectedWholeNumber => {
        zh: "必須是大小合適的整數，目前是 {got}",
        ja: "適切な大きさの整数にしてください（指定値：{got}）",
    },
    ExpectedNumber => {
        zh: "必須是數字，目前是 {got}",
        ja: "数値にしてください（指定値：{got}）",
    },
    ExpectedText => {
        zh: "必須是字串，目前是 {got}",
        ja: "文字列にしてください（指定値：{got}）",
    },
    ExpectedBool => {
        zh: "必須是 true 或 false，目前是 {got}",
        ja: "true か false にしてください（指定値：{got}）",
    },
    ExpectedList => {
        zh: "必須是清單，目前是 {got}",
        ja: "リストにしてください（指定値：{got}）",
    },
    ExpectedObject => {
        zh: "必須是物件，目前是 {got}",
        ja: "オブジェクトにしてください（指定値：{got}）",
    },
    NoAcceptedForm => {
        zh: "不符合這個欄位接受的任何形式",
        ja: "この項目で受け付けるどの形式にも合いません",
    },
    // serde's own words for a case the core does not know yet; shown as they are.
    Unexplained => {
        zh: "{detail}",
        ja: "{detail}",
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::placeholders;

    #[test]
    fn every_problem_keeps_its_placeholders_in_every_language() {
        for &code in ProblemCode::ALL {
            let mut english = placeholders(code.english());
            english.sort_unstable();
            for locale in Locale::ALL {
                let text = template(code, locale);
                assert!(
                    !text.trim().is_empty(),
                    "{code:?} is empty in {}",
                    locale.tag()
                );
                let mut other = placeholders(text);
                other.sort_unstable();
                assert_eq!(english, other, "{code:?} in {}", locale.tag());
            }
        }
    }

    #[test]
    fn a_refused_scenario_reads_in_each_language_with_its_values() {
        let error =
            crate::sim::Scenario::from_json(r#"{"services": [{"name": "signup", "workers": 0}]}"#)
                .unwrap_err();
        assert_eq!(error.field, "services[0].workers");
        let zh = problem_text(&error.problem, Locale::ZhHant);
        let ja = problem_text(&error.problem, Locale::Ja);
        let max = crate::sim::scenario::limits::MAX_WORKERS;
        assert_eq!(zh, format!("必須介於 1 到 {max} 之間，目前是 0"));
        assert!(ja.contains(&format!("1〜{max}")), "{ja}");
        assert_eq!(problem_text(&error.problem, Locale::En), error.message());
    }

    #[test]
    fn common_mistakes_are_coded_not_left_in_serdes_english() {
        // The kinds of input a person gets wrong by hand: each must map to a coded
        // problem, so it is translated, rather than fall through as serde's text.
        let mistakes = [
            r#"{"services": [{"name": "a"}], "colour": 1}"#,
            r#"{"services": [{"name": "a", "workers": -3}]}"#,
            r#"{"services": [{"name": "a", "workers": "many"}]}"#,
            r#"{"services": [{"name": "a"}], "event": {"acks": "2"}}"#,
            r#"{"services": [{"name": "a"}], "event": {"idempotent": "yes"}}"#,
            r#"{"services": [{"name": "a"}], "workload": {"arrivals": {"kind": "poisson", "rate_per_s": "x"}}}"#,
            r#"{"services": [{"name": "a", "service_time_ms": {"kind": "gamma"}}]}"#,
            r#"{"services": [{"name": "a", "service_time_ms": {"kind": "exponential"}}]}"#,
            r#"{"services": {"name": "a"}}"#,
            r#"{"services": [{"name": "a"}], "event": {"consumers": "two"}}"#,
            r#"{"services": [{"name": "a"}], "faults": [{"at_ms": 1, "action": "explode"}]}"#,
            r#"{"services": [{"name": "a""#,
            r#"{"services": [{"name": "a"}]} extra"#,
            r#"{"services": [{"name": "a",}]}"#,
        ];
        for json in mistakes {
            let error = crate::sim::Scenario::from_json(json).unwrap_err();
            assert_ne!(
                error.problem.code(),
                ProblemCode::Unexplained,
                "{json} gave serde's own words: {error}"
            );
        }
    }
}
