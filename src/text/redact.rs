//! Keeping secrets out of what agon shows and stores: credentials in URLs, and the API keys a
//! run was given, wherever they turn up in a message.

/// A base URL without what must not be shown: `user:pass@` user information, the `?query` and
/// the `#fragment` (keys sometimes travel in either).
pub fn url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}{host}{path}")
}

/// Replaces every occurrence of each secret in `text` with `[redacted]`. Secrets shorter than
/// four characters are left alone: they would match ordinary words.
pub fn secrets(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(s) {
            out = out.replace(s, "[redacted]");
        }
    }
    out
}

/// A URL as it may be shown or stored, and every credential it carries (for [`secrets`]).
pub fn url_secrets(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(rest) = url.split_once("://").map(|(_, r)| r) {
        let authority = rest.split('/').next().unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            found.extend(
                userinfo
                    .split(':')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
            );
            found.push(userinfo.to_string());
        }
    }
    if let Some((_, query)) = url.split_once('?') {
        let query = query.split('#').next().unwrap_or_default();
        for pair in query.split('&') {
            if let Some((_, value)) = pair.split_once('=')
                && !value.is_empty()
            {
                found.push(value.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            url("http://user:KEY@host:8080/v1?api_key=K2#x"),
            "http://host:8080/v1"
        );
        assert_eq!(
            url("https://api.openai.com/v1"),
            "https://api.openai.com/v1"
        );
        assert_eq!(url("host/v1"), "host/v1");
    }

    #[test]
    fn secrets_of_a_url_are_found_and_hidden() {
        let s = url_secrets("http://user:sk-secret-1@host/v1?api_key=sk-secret-2&x=");
        assert!(s.contains(&"sk-secret-1".to_string()));
        assert!(s.contains(&"sk-secret-2".to_string()));
        let refs: Vec<&str> = s.iter().map(String::as_str).collect();
        let msg = secrets(
            "cannot reach http://user:sk-secret-1@host/v1?api_key=sk-secret-2",
            &refs,
        );
        assert!(!msg.contains("sk-secret"), "{msg}");
    }
}
