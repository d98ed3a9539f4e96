//! URLs and e-mail addresses.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    pub(super) fn url_or_email(&self, piece: Piece) -> Found {
        let core = piece.core;
        let lower = core.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
            return Some((1, Semiotic::Url(core.to_string())));
        }
        if let Some((user, domain)) = core.split_once('@') {
            if !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') {
                return Some((1, Semiotic::Email(core.to_string())));
            }
        }
        // Social media handles: "@readcast", "@city_news".
        if let Some(handle) = core.strip_prefix('@') {
            let handle_ok = (1..=30).contains(&handle.len()) && handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && handle.chars().any(|c| c.is_ascii_alphabetic());
            return handle_ok.then(|| (1, Semiotic::Abbreviation(format!("at {}", handle.replace('_', " ")))));
        }
        // Bare domains: "kyivindependent.com", "example.org/news".
        let host = lower.split('/').next().unwrap_or("");
        let tld_ok = [".com", ".org", ".net", ".gov", ".edu", ".io", ".ua", ".uk", ".info"]
            .iter()
            .any(|tld| host.ends_with(tld) && host.len() > tld.len());
        if tld_ok && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
            return Some((1, Semiotic::Url(core.to_string())));
        }
        None
    }
}
