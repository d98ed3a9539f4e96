//! Fetching an article over HTTP(S), with a timeout, a redirect limit and a size limit.
//!
//! Redirects are followed here rather than by the HTTP client, so that every hop is checked:
//! only http and https are ever fetched (a redirect to `file:` or `ftp:` is an input error).

use std::io::Read;
use std::time::Duration;

use super::{Document, Format};
use crate::error::{Error, Result};

/// Pages larger than this are refused rather than read into memory.
const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;

/// News sites answer a browser's request with the page a reader sees; some refuse or strip
/// pages for clients that name themselves otherwise.
const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 readcast/",
    env!("CARGO_PKG_VERSION")
);
const ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";

pub fn fetch(address: &str) -> Result<Document> {
    let mut url = web_address(address, address)?;
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirects(0)
        .user_agent(USER_AGENT)
        .build();
    let mut hops = 0;
    let response = loop {
        let response = agent
            .request_url("GET", &url)
            .set("Accept", ACCEPT)
            .set("Accept-Language", "en;q=1.0, *;q=0.5")
            .call()
            .map_err(|error| match error {
                ureq::Error::Status(code, _) => Error::input(format!("{address}: the server answered HTTP {code}")),
                ureq::Error::Transport(transport) => Error::input(format!("{address}: could not fetch the page ({transport})")),
            })?;
        if !(300..400).contains(&response.status()) {
            break response;
        }
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(Error::input(format!("{address}: more than {MAX_REDIRECTS} redirects")));
        }
        let location = response
            .header("location")
            .ok_or_else(|| Error::input(format!("{address}: the server answered HTTP {} without a Location", response.status())))?;
        let next = url.join(location).map_err(|_| Error::input(format!("{address}: redirected to an invalid address '{location}'")))?;
        url = web_address(address, next.as_str())?;
    };
    let content_type = response.header("content-type").unwrap_or("").to_ascii_lowercase();
    let hint = if content_type.contains("html") {
        Some(Format::Html)
    } else if content_type.contains("markdown") {
        Some(Format::Markdown)
    } else if content_type.starts_with("text/plain") {
        Some(Format::Text)
    } else {
        None
    };
    let charset = content_type.split(';').find_map(|part| part.trim().strip_prefix("charset=")).map(|label| label.trim_matches(['"', '\'']).to_string());
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(format!("{address}: reading the page failed: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Error::input(format!("{address}: the page is larger than {} MiB", MAX_BYTES >> 20)));
    }
    Ok(Document { name: address.to_string(), bytes, hint, charset, url: Some(url.to_string()) })
}

/// `candidate` as an http(s) address; anything else is an input error naming `asked`.
fn web_address(asked: &str, candidate: &str) -> Result<url::Url> {
    let url = url::Url::parse(candidate).map_err(|e| Error::input(format!("{asked}: not a valid address ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        let what = if asked == candidate { "only http:// and https:// URLs can be read".to_string() } else { format!("redirected to '{candidate}': only http:// and https:// URLs can be read") };
        return Err(Error::input(format!("{asked}: {what}")));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// A one-shot HTTP server on loopback that answers each request with the next response.
    fn serve(responses: Vec<Vec<u8>>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for response in responses {
                let Ok((mut stream, _)) = listener.accept() else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let _ = stream.write_all(&response);
            }
        });
        address
    }

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

    #[test]
    fn a_redirect_to_a_file_is_an_input_error() {
        let address = serve(vec![b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n".to_vec()]);
        let err = fetch(&format!("{address}/story")).unwrap_err();
        assert!(matches!(err, Error::Input(_)));
        assert!(err.to_string().contains("redirected to 'file:///etc/passwd'"), "{err}");
    }

    #[test]
    fn follows_redirects_and_reads_the_header_charset() {
        let page = b"<html><body><p>Caf\xe9 owners said the square reopened on Monday.</p></body></html>";
        let mut second = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n".to_vec();
        second.extend_from_slice(format!("Content-Length: {}\r\n\r\n", page.len()).as_bytes());
        second.extend_from_slice(page);
        let address = serve(vec![b"HTTP/1.1 301 Moved\r\nLocation: /final\r\nContent-Length: 0\r\n\r\n".to_vec(), second]);
        let document = fetch(&format!("{address}/story")).unwrap();
        assert_eq!(document.charset.as_deref(), Some("iso-8859-1"));
        assert_eq!(document.url, Some(format!("{address}/final")));
        let article = super::super::extract(&document, &Default::default()).unwrap();
        assert_eq!(article.blocks[0].text, "Café owners said the square reopened on Monday.");
        assert_eq!(article.url, Some(format!("{address}/final")));
    }
}
