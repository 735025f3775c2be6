//! Whether a node is a config, and its entries: by the one `key=value` grammar of
//! `config::doc` (what `inspect` shows as a config, `config get` reads).

use super::NodeStat;
use crate::config::doc;

/// `key=value` lines in the order of the data (`config::doc::pairs`), or None when the data is
/// not of that form. Empty data is an empty config.
pub fn parse_config(data: &[u8]) -> Option<Vec<(String, String)>> {
    doc::pairs(data)
}

/// Is this node a config: under `/configs`, or childless with `key=value` data?
pub fn is_config(path: &str, data: &[u8], stat: &NodeStat) -> bool {
    path.starts_with("/configs/")
        || (stat.num_children == 0 && !data.is_empty() && parse_config(data).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configs() {
        // The grammar of `config`: what `config get` reads, in the order of the data.
        assert_eq!(
            parse_config(b"b=two words\n\na=1\n").unwrap(),
            [("b".into(), "two words".into()), ("a".into(), "1".into())]
        );
        assert_eq!(
            parse_config(b"a = 1").unwrap(),
            [("a ".into(), " 1".into())]
        );
        // A comment is not a key=value line (config sees raw data there, and so does inspect).
        assert!(parse_config(b"a=1\n# c\n").is_none());
        assert_eq!(parse_config(b"").unwrap(), []);
        assert!(parse_config(b"hello").is_none());
        assert!(parse_config(b"\xff=1").is_none());
        let s = NodeStat::default();
        assert!(is_config("/configs/app", b"", &s));
        assert!(is_config("/x", b"k=v", &s));
        assert!(!is_config("/x", b"", &s));
        assert!(!is_config("/x", b"plain", &s));
        assert!(!is_config("/x", b"# settings\nk=v\n", &s));
    }
}
