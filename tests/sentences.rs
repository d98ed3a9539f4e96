//! Sentence segmentation against the golden cases in tests/golden/sentences.toml.

use serde::Deserialize;

#[derive(Deserialize)]
struct Golden {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    rule: String,
    text: String,
    sentences: Vec<String>,
}

#[test]
fn golden_sentence_rules() {
    let golden: Golden = toml::from_str(include_str!("golden/sentences.toml")).expect("valid golden file");
    let mut failures = Vec::new();
    for case in &golden.case {
        let actual = readcast::chunk::split_sentences(&case.text);
        if actual != case.sentences {
            failures.push(format!("{}\n  expected: {:?}\n  actual:   {:?}", case.rule, case.sentences, actual));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), golden.case.len(), failures.join("\n"));
}
