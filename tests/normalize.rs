//! Normalization against the golden files in tests/golden/normalize/*.tsv (one file per
//! class, `written<TAB>spoken` per line).

use std::collections::BTreeMap;

use readcast::normalize::Normalizer;

#[test]
fn golden_normalization_cases() {
    let normalizer = Normalizer::default();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/normalize");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut totals: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in paths {
        let class = path.file_stem().unwrap().to_string_lossy().to_string();
        for (number, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (written, expected) = line.split_once('\t').unwrap_or_else(|| panic!("{class}.tsv:{}: no tab", number + 1));
            let actual = normalizer.normalize(written);
            let total = totals.entry(class.clone()).or_default();
            total.1 += 1;
            if actual == expected {
                total.0 += 1;
            } else {
                failures.push(format!("{class}.tsv:{}: {written:?}\n    expected: {expected:?}\n    actual:   {actual:?}", number + 1));
            }
        }
    }
    let cases: usize = totals.values().map(|t| t.1).sum();
    let summary: Vec<String> = totals.iter().map(|(class, (ok, all))| format!("{class} {ok}/{all}")).collect();
    println!("{cases} cases: {}", summary.join(", "));
    assert!(cases >= 400, "only {cases} golden cases");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
