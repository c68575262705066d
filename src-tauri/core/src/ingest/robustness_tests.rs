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

/// Lines of random lengths (some over `max`) through [`records::for_each_limited`]: one
/// record per non-blank line, on its own line number; exactly the long ones are `TooLong`
/// with their length, the others come back whole.
fn check_long_lines(lines: &[(usize, u8)], max: usize, layout: Layout) -> Result<(), TestCaseError> {
    let mut text = String::from("h1,h2\n");
    let mut expected = Vec::new();
    for (i, &(len, c)) in lines.iter().enumerate() {
        let body: String = std::iter::repeat_n((b'a' + c % 26) as char, len).collect();
        let line = if layout == Layout::JsonLines { format!("{{\"h1\":\"{body}\"}}") } else { body };
        if !line.is_empty() {
            expected.push((i as u64 + 2, line.len(), line.clone()));
        }
        text.push_str(&line);
        text.push('\n');
    }
    if layout == Layout::JsonLines {
        text = text.replacen("h1,h2", "{\"h1\":\"x\"}", 1);
    }
    let mut got = Vec::new();
    records::for_each_limited::<_, std::io::Error>(text.as_bytes(), layout, true, max, &mut |_| Ok(()), &mut |r| {
        got.push((r.line, r.fields.clone().map(|f| f.len()), r.raw.to_string()));
        Ok(Next::Continue)
    })
    .unwrap();
    prop_assert_eq!(got.len(), expected.len() + usize::from(layout == Layout::JsonLines));
    let got = if layout == Layout::JsonLines { &got[1..] } else { &got[..] };
    for ((line, fields, raw), (want_line, len, text)) in got.iter().zip(&expected) {
        prop_assert_eq!(line, want_line);
        if *len > max {
            prop_assert_eq!(fields, &Err(records::SplitError::TooLong { bytes: *len as u64, limit: max as u64 }));
            prop_assert!(raw.ends_with(&format!("… ({len} bytes)")), "{}", raw);
        } else {
            prop_assert!(fields.is_ok());
            if layout != Layout::JsonLines {
                prop_assert_eq!(raw, text);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn long_lines_are_one_rejected_record_each(lines in proptest::collection::vec((0usize..400, any::<u8>()), 1..30), max in 1usize..300) {
        check_long_lines(&lines, max, Layout::Delimited(b','))?;
        check_long_lines(&lines, max.max(12), Layout::JsonLines)?;
    }

    #[test]
    fn the_line_limit_passes_every_short_line_and_marks_every_long_one(bytes in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(0u8), any::<u8>()], 0..3000), max in 1usize..200, chunk in 1usize..9000, cap in 1usize..5000) {
        use std::io::Read;
        let (mut r, marks) = crate::input::lines::LineLimit::new(std::io::BufReader::with_capacity(cap, &bytes[..]), max);
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let want: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        let got: Vec<&[u8]> = out.split(|&b| b == b'\n').collect();
        let last_empty = want.last().is_some_and(|l| l.is_empty());
        // The input's lines, one for one (a final line without '\n' gains one).
        prop_assert!(got.len() == want.len() || (!last_empty && got.len() == want.len() + 1 && got.last() == Some(&&b""[..])));
        for (g, w) in got.iter().zip(&want) {
            if w.len() > max {
                let long = marks.take(g);
                prop_assert_eq!(long.map(|l| l.bytes), Some(w.len() as u64));
            } else {
                prop_assert_eq!(g, w);
            }
        }
    }
}
