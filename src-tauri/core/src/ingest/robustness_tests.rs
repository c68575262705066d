//! Property tests over the parsers and the normaliser: no input makes them panic, and every
//! record of any input is accounted for. `PROPTEST_CASES` raises the case count for long runs.

use proptest::prelude::*;

use super::formats::generic::CatalogColumns;
use super::formats::{self, generic, online_retail, rees46, simple, Format};
use super::records::{self, Layout, Next};
use super::source;

fn all_formats(header: &[&str]) -> Vec<Format> {
    let mut v = vec![Format::Rees46, Format::Taobao, Format::RetailRocket, Format::OnlineRetail];
    let lower: Vec<String> = header.iter().map(|s| s.to_ascii_lowercase()).collect();
    if let Some(c) = CatalogColumns::detect(&lower) {
        v.push(Format::Catalog(c));
    }
    if let Ok(m) = generic::Mapping::parse("user=1,item=2,time=3,event=4,price=5", &["a", "b", "c", "d", "e"]) {
        v.push(Format::Generic(m));
    }
    v
}

/// Feed `bytes` through decoding, splitting and every format; count records.
fn run(bytes: &[u8], layout: Layout) -> usize {
    let mut n = 0usize;
    let formats = all_formats(&["id", "title", "price"]);
    records::for_each::<_, std::io::Error>(
        bytes,
        layout,
        true,
        &mut |h| {
            let _ = formats::detect(h);
            Ok(())
        },
        &mut |r| {
            n += 1;
            if let Ok(f) = r.fields {
                for fmt in &formats {
                    let _ = fmt.parse(f);
                }
            }
            Ok(Next::Continue)
        },
    )
    .unwrap();
    n
}

fn mutated_rees46_line() -> impl Strategy<Value = String> {
    let good = "2019-10-01 02:50:00 UTC,view,10900305,2053013555069845885,appliances.kitchen.mixer,elenberg,25.71,520403302,e6cc4f54-a24e-4123-8e3a-ed2f2fb95e0c";
    (0..good.len(), any::<u8>(), 0usize..3).prop_map(move |(pos, b, op)| {
        let mut bytes = good.as_bytes().to_vec();
        match op {
            0 => bytes[pos] = b,
            1 => {
                bytes.truncate(pos);
            }
            _ => bytes.insert(pos, b),
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

proptest! {
    // 256 cases each (proptest's default); `PROPTEST_CASES` overrides it (`make fuzz`).

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for layout in [Layout::Delimited(b','), Layout::Delimited(b'\t'), Layout::JsonLines] {
            run(&bytes, layout);
        }
        let _ = source::choose(&bytes);
    }

    #[test]
    fn text_like_input_never_panics(text in "[a-z0-9,\"\\n\\r\\t;{}:. -]{0,600}") {
        for layout in [Layout::Delimited(b','), Layout::JsonLines] {
            run(text.as_bytes(), layout);
        }
    }

    #[test]
    fn mutated_rows_are_parsed_or_rejected_with_a_column(line in mutated_rees46_line()) {
        let fields: Vec<&str> = line.split(',').collect();
        match rees46::parse(&fields) {
            Ok(p) => {
                let e = p.event.unwrap();
                prop_assert!(e.price_cents.unwrap() >= 0);
                prop_assert!(!e.user.is_empty() && !e.product.is_empty());
            }
            Err(e) => prop_assert!(!e.column.is_empty() && !e.reason.is_empty()),
        }
        let _ = simple::taobao(&fields);
        let _ = simple::retailrocket(&fields);
        let _ = online_retail::parse(&fields);
    }

    #[test]
    fn every_line_is_one_record(rows in proptest::collection::vec("[a-z0-9]{0,5}(,[a-z0-9]{0,5}){0,4}", 1..40)) {
        let body: String = rows.iter().filter(|r| !r.is_empty()).map(|r| format!("{r}\n")).collect();
        let expected = rows.iter().filter(|r| !r.is_empty()).count();
        let text = format!("h1,h2\n{body}");
        prop_assert_eq!(run(text.as_bytes(), Layout::Delimited(b',')), expected);
    }
}
