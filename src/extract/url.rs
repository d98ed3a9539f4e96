//! Fetching an article over HTTP(S), with a timeout, a redirect limit and a size limit.

use std::io::Read;
use std::time::Duration;

use super::{Document, Format};
use crate::error::{Error, Result};

/// Pages larger than this are refused rather than read into memory.
const MAX_BYTES: u64 = 20 * 1024 * 1024;

pub fn fetch(address: &str) -> Result<Document> {
    let lower = address.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(Error::input(format!("{address}: only http:// and https:// URLs can be read")));
    }
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirects(5)
        .user_agent(concat!("readcast/", env!("CARGO_PKG_VERSION")))
        .build();
    let response = agent.get(address).call().map_err(|error| match error {
        ureq::Error::Status(code, _) => Error::input(format!("{address}: the server answered HTTP {code}")),
        ureq::Error::Transport(transport) => Error::input(format!("{address}: could not fetch the page ({transport})")),
    })?;
    let content_type = response.content_type().to_ascii_lowercase();
    let hint = if content_type.contains("html") {
        Some(Format::Html)
    } else if content_type.contains("markdown") {
        Some(Format::Markdown)
    } else if content_type.starts_with("text/plain") {
        Some(Format::Text)
    } else {
        None
    };
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(format!("{address}: reading the page failed: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Error::input(format!("{address}: the page is larger than {} MiB", MAX_BYTES >> 20)));
    }
    Ok(Document { name: address.to_string(), bytes, hint })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_schemes() {
        let err = fetch("ftp://example.com/a").unwrap_err();
        assert!(err.to_string().contains("only http"));
    }

    #[test]
    fn unreachable_host_is_a_clear_input_error() {
        // Port 9 on loopback: nothing listens, so the connection is refused at once.
        let err = fetch("http://127.0.0.1:9/article").unwrap_err();
        assert!(matches!(err, Error::Input(_)));
        assert!(err.to_string().contains("could not fetch"), "{err}");
    }
}
