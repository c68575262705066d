//! `studio-serve`'s errors as the window shows them.

use studio_core::HasCode;

/// `err.serve.bind` has an English and a Chinese text naming only the parameters it gives,
/// and a port already taken is refused with it.
#[test]
fn a_taken_port_is_a_keyed_error_with_texts_in_both_languages() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let e = studio_serve::ServeError::Bind { addr, source: std::net::TcpListener::bind(addr).unwrap_err() };
    let k = e.keyed().unwrap();
    assert_eq!((k.key.as_str(), e.code()), ("err.serve.bind", studio_core::ErrorCode::Io));
    for file in ["en.ts", "zh-CN.ts"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/i18n").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        for key in studio_serve::ERROR_KEYS {
            let line = text.lines().find(|l| l.trim_start().starts_with(&format!("'{key}':"))).unwrap_or_else(|| panic!("{file} has no text for {key}"));
            for name in line.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)) {
                assert!(k.params.contains_key(name), "{file}: {key} names {{{name}}}, the error gives {:?}", k.params);
            }
        }
    }
}
