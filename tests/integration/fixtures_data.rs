//! The real-world samples copied into `fixtures/data/` (gzipped): they are the unmodified
//! excerpts fixtures/README.md describes, and the importer reads the `.gz` files as they are.

use std::path::Path;

use serde_json::Value;

use crate::support::{count, fixture, plain, rees46_sample, u, Sandbox};

/// SHA-256 of each sample's plain text, as recorded in fixtures/README.md (the digests of the
/// files the project received; a re-compression must not change a byte).
const SAMPLES: [(&str, &str); 4] = [
    ("rees46/2019-Oct-head.csv", "3f27c30d1a43d33ed5cb1da6e688154a65bcd94a25e5c1fd1fed7fa276cec6d8"),
    ("online-retail/online-retail-sample-20k.csv", "219f7f5ec2c2927068b7c510ed01bad8323528c6647732dc0613330f4f90d2f0"),
    ("open-bandit/random/all.csv", "7168295b6e0a9eabcf3392320a5dd434e542b68e705d5cd9491499af589812f1"),
    ("open-bandit/bts/all.csv", "0ad874e4dbf6902f0845dd478ad8dde5ef6903583d3ffaace78411bdad064106"),
];

#[test]
fn the_samples_in_fixtures_are_the_unmodified_excerpts_with_recorded_digests() {
    let readme = std::fs::read_to_string(fixture("README.md")).expect("fixtures/README.md");
    for (rel, want) in SAMPLES {
        let bytes = std::fs::read(plain(rel)).expect("plain copy");
        let got = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&bytes))
        };
        assert_eq!(got, want, "{rel}: the decompressed fixture differs from the recorded sample");
        assert!(readme.contains(want), "fixtures/README.md records the digest of {rel}");
    }
    // The known fact the import tests rely on: the REES46 excerpt ends mid-row, without newline.
    let text = std::fs::read_to_string(rees46_sample()).unwrap();
    let last = text.rsplit('\n').next().unwrap();
    assert!(!last.is_empty() && last.split(',').count() == 8, "cut-off last line: {last:?}");
}

fn import(sb: &Sandbox, project: &Path, file: &Path) -> Value {
    let out = sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), file.as_os_str(), "--json".as_ref()]);
    out.ok();
    out.json()
}

#[test]
fn the_gzipped_rees46_sample_imports_exactly_like_its_plain_text() {
    let sb = Sandbox::new();
    let gz = import(&sb, &sb.path("gz.studio"), &fixture("data/rees46/2019-Oct-head.csv.gz"));
    let txt = import(&sb, &sb.path("txt.studio"), &rees46_sample());
    assert!(gz["encoding"].as_str().unwrap_or_default().ends_with("+gzip"), "{gz}");
    for key in ["format", "rows_read", "rows_imported", "rows_duplicate", "rows_rejected", "errors"] {
        assert_eq!(gz[key], txt[key], "{key}");
    }
    assert_eq!((u(&gz, "rows_read"), u(&gz, "rows_rejected")), (17_435, 1));
    assert_eq!(gz["errors"][0]["line"], 17_436, "the cut-off line keeps its number through gzip");
    assert_eq!(count(&sb.path("gz.studio"), "events"), count(&sb.path("txt.studio"), "events"));
}
