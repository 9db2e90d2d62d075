//! The result both findings scalars write (`flight_findings`,
//! `flight_update_findings`): a `STRUCT(severity, code, subject, message)[]`
//! per row, written by one [`write_findings`].

use crate::flight::Finding;
use crate::sql::vector::{ListOutput, SharedTexts};
use duckdb::core::Inserter;
use duckdb::vtab::arrow::WritableVector;

/// The fields of a finding, all VARCHAR, in the order [`write_findings`] writes them.
pub const FINDING_FIELDS: [&str; 4] = ["severity", "code", "subject", "message"];

/// Writes a `STRUCT(severity, code, subject, message)[]` result.
pub fn write_findings(out: &ListOutput<Finding>, output: &mut dyn WritableVector) {
    out.write_struct_list(output, |fields, items| {
        let n = items.len();
        let (severities, codes, subjects, messages) =
            (fields.child(0, n), fields.child(1, n), fields.child(2, n), fields.child(3, n));
        // The same findings recur from row to row (a schedule's, a requirement's):
        // their longer texts are copied into the vector once.
        let (mut codes, mut subjects, mut messages) =
            (SharedTexts::new(codes), SharedTexts::new(subjects), SharedTexts::new(messages));
        for (i, f) in items.iter().enumerate() {
            severities.insert(i, f.severity.as_str());
            codes.insert(i, f.code, f.code.as_str());
            subjects.insert(i, f.subject.as_str(), &f.subject);
            messages.insert(i, f.message.as_str(), &f.message);
        }
    });
}
