//! When and how long to wait before trying a request again.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Statuses worth another try: timeouts, conflicts, rate limits, server errors, overload (529).
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 409 | 429) || (500..=599).contains(&status)
}

/// The server's own wait, from `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an
/// HTTP date). Absurd values are capped by the policy.
pub fn server_wait(
    retry_after_ms: Option<&str>,
    retry_after: Option<&str>,
    now: time::OffsetDateTime,
) -> Option<Duration> {
    if let Some(ms) = retry_after_ms.and_then(|v| v.trim().parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(seconds(ms / 1000.0));
    }
    let value = retry_after?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| seconds(secs));
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let wait = date - now;
    Some(if wait.is_negative() {
        Duration::ZERO
    } else {
        wait.unsigned_abs()
    })
}

/// Seconds as a duration; anything beyond what a duration holds (a server's `1e20`) is a day,
/// which every policy caps further.
fn seconds(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs.min(86_400.0)).unwrap_or(Duration::from_secs(86_400))
}

impl RetryPolicy {
    /// Exponential backoff with jitter for retry number `attempt` (1-based): a random wait between
    /// half and all of base x 2^(attempt-1), capped. `unit` is a random number in [0, 1).
    pub fn backoff(&self, attempt: u32, unit: f64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exp.min(self.max_delay);
        capped.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
    }

    /// The wait before retry `attempt`: the server's if it gave one (capped), else backoff.
    pub fn wait(&self, attempt: u32, server: Option<Duration>, unit: f64) -> Duration {
        match server {
            Some(d) => d.min(self.max_delay),
            None => self.backoff(attempt, unit),
        }
    }
}

/// A random number in [0, 1) for jitter; no need for a cryptographic source.
pub fn jitter_unit() -> f64 {
    use std::hash::{BuildHasher, RandomState};
    let bits = RandomState::new().hash_one(std::time::SystemTime::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_statuses() {
        for s in [408, 409, 429, 500, 502, 503, 529] {
            assert!(is_retryable(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 422] {
            assert!(!is_retryable(s), "{s}");
        }
    }

    #[test]
    fn server_wait_prefers_milliseconds_then_seconds_then_dates() {
        let now = time::macros::datetime!(2026-11-27 08:00:00 UTC);
        assert_eq!(
            server_wait(Some("250"), Some("9"), now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            server_wait(None, Some("2"), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_wait(None, Some("Fri, 27 Nov 2026 08:00:05 GMT"), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            server_wait(None, Some("Fri, 27 Nov 2026 07:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(server_wait(Some("x"), Some("soon"), now), None);
        assert_eq!(server_wait(None, Some("-3"), now), None);
        assert_eq!(
            server_wait(Some("1e300"), None, now),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(
            server_wait(None, Some("1e20"), now),
            Some(Duration::from_secs(86_400))
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        assert_eq!(p.backoff(1, 0.999_999).as_millis(), 99);
        assert_eq!(p.backoff(1, 0.0).as_millis(), 50);
        assert_eq!(p.backoff(3, 0.0).as_millis(), 200);
        assert_eq!(p.backoff(10, 0.0).as_millis(), 500, "capped, then jittered");
        assert_eq!(
            p.wait(1, Some(Duration::from_secs(60)), 0.0),
            Duration::from_millis(1000)
        );
        let u = jitter_unit();
        assert!((0.0..1.0).contains(&u));
    }
}
