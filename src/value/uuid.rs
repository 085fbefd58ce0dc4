//! `uuid`: UUID values (what a UUIDField holds) and `uuid4()`.

use crate::error::{Error, Result};
use crate::value::Args;
use crate::value::Value;

/// `UUID('…')`'s text as Python accepts it: 32 hex digits, with or without
/// hyphens, braces or a `urn:uuid:` prefix.
pub fn parse(text: &str) -> Option<u128> {
    let t = text.trim();
    let t = t.strip_prefix("urn:").unwrap_or(t);
    let t = t.strip_prefix("uuid:").unwrap_or(t);
    let t = t.trim_start_matches('{').trim_end_matches('}');
    let hex: String = t.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

/// `str(uuid)`: 8-4-4-4-12 lower-case hex digits.
pub fn text(u: u128) -> String {
    let h = format!("{u:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

pub fn hex(u: u128) -> String {
    format!("{u:032x}")
}

/// `uuid.UUID(hex)`.
pub fn construct(mut args: Args) -> Result<Value> {
    let hex_kw = args.take_kw("hex");
    let int_kw = args.take_kw("int");
    args.no_kw("UUID")?;
    match (args.pos.first().or(hex_kw.as_ref()), int_kw) {
        (Some(Value::Str(s)), None) => parse(s)
            .map(Value::Uuid)
            .ok_or_else(|| Error::value_error("badly formed hexadecimal UUID string")),
        (None, Some(Value::Int(i))) if i >= 0 => Ok(Value::Uuid(i as u128)),
        (Some(other), None) => Err(Error::new(
            "AttributeError",
            format!("'{}' object has no attribute 'replace'", other.type_name()),
        )),
        _ => Err(Error::type_error(
            "one of the hex, bytes, bytes_le, fields, or int arguments must be given",
        )),
    }
}

/// `uuid.uuid4()`: random, with the version and variant bits set.
pub fn uuid4(args: Args) -> Result<Value> {
    args.count("uuid4", 0, 0)?;
    use std::hash::{BuildHasher, Hasher};
    let mut words = [0u64; 2];
    for w in &mut words {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        *w = h.finish();
    }
    let mut u = ((words[0] as u128) << 64) | words[1] as u128;
    u &= !(0xf000u128 << 64);
    u |= 0x4000u128 << 64;
    u &= !(0xc000u128 << 48);
    u |= 0x8000u128 << 48;
    Ok(Value::Uuid(u))
}

pub fn attr(u: u128, name: &str) -> Option<Value> {
    Some(match name {
        "hex" => Value::str(hex(u)),
        "int" => match i64::try_from(u) {
            Ok(i) => Value::Int(i),
            Err(_) => return None,
        },
        "version" => Value::Int(((u >> 76) & 0xf) as i64),
        "urn" => Value::str(format!("urn:uuid:{}", text(u))),
        "bytes" => Value::Bytes(u.to_be_bytes().to_vec().into()),
        _ => return None,
    })
}
