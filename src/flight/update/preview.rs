//! The variables an update adds, removes or changes (`flight_update_preview`),
//! each with the lines of the updated source that read it and the update's
//! finding about it. Values as `flight_env_preview` shows them: config values
//! in clear, the token and secrets `redacted`.

use super::UpdateCheck;
use crate::flight::{EnvVar, Finding};
use std::cmp::Ordering;

/// What the update does to one variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarChangeKind {
    /// Only the updated run has it.
    Added,
    /// Only the current run has it.
    Removed,
    /// Both have it, with another value or from another place.
    Changed,
}

impl VarChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VarChangeKind::Added => "added",
            VarChangeKind::Removed => "removed",
            VarChangeKind::Changed => "changed",
        }
    }
}

/// One variable the update touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarChange<'c> {
    pub name: &'c str,
    pub kind: VarChangeKind,
    pub before: Option<&'c EnvVar<'c>>,
    pub after: Option<&'c EnvVar<'c>>,
    /// The lines of the updated source that read it, in order.
    pub read_at: Vec<u32>,
    /// The update's finding about it (the most severe), if any.
    pub finding: Option<&'c Finding>,
}

impl UpdateCheck<'_> {
    /// Every variable the update adds, removes or changes, ordered by name.
    pub fn changes(&self) -> Vec<VarChange<'_>> {
        let (mut old, mut new) = (self.before.vars.iter().peekable(), self.after.vars.iter().peekable());
        let mut out = Vec::new();
        loop {
            let order = match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(a), Some(b)) => a.name.cmp(&b.name),
            };
            let (before, after) = match order {
                Ordering::Less => (old.next(), None),
                Ordering::Greater => (None, new.next()),
                Ordering::Equal => (old.next(), new.next()),
            };
            let kind = match (before, after) {
                (Some(_), None) => VarChangeKind::Removed,
                (None, Some(_)) => VarChangeKind::Added,
                (Some(a), Some(b)) if a.value != b.value || a.source != b.source || a.origin != b.origin => {
                    VarChangeKind::Changed
                }
                _ => continue,
            };
            let Some(var) = after.or(before) else { continue };
            out.push(VarChange {
                name: &var.name,
                kind,
                before,
                after,
                read_at: self.read_at(&var.name),
                finding: self.finding_about(var),
            });
        }
        out
    }

    fn read_at(&self, name: &str) -> Vec<u32> {
        let mut lines: Vec<u32> = self
            .after_scan
            .iter()
            .flat_map(|scan| &scan.reads)
            .filter(|read| read.name.as_deref() == Some(name))
            .map(|read| read.line)
            .collect();
        lines.dedup();
        lines
    }

    /// The first (most severe) finding whose subject is the variable, or the secret it comes from.
    fn finding_about(&self, var: &EnvVar) -> Option<&Finding> {
        let secret = var.origin.secret();
        self.findings.iter().find(|f| f.subject == var.name || Some(f.subject.as_str()) == secret)
    }
}
