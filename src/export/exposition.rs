//! The Prometheus text exposition format, version 0.0.4
//! (<https://prometheus.io/docs/instrumenting/exposition_formats/>): `# HELP` and `# TYPE`
//! once per family, then its samples, all of a family together (the format requires it, so
//! samples are gathered per family in the order families are first named and written out at
//! the end). Label values escape `\`, `"` and newline; HELP text escapes `\` and newline.

use std::fmt::Write;

/// Counters only go up (and reset at a restart); gauges go either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
        }
    }
}

struct Family {
    name: &'static str,
    kind: Kind,
    help: &'static str,
    samples: String,
}

/// Families of samples, in the order they were first named.
#[derive(Default)]
pub struct Exposition {
    families: Vec<Family>,
}

impl Exposition {
    /// One sample of the family `name`; its kind and help are those of the first sample.
    pub fn add(
        &mut self,
        (name, kind, help): (&'static str, Kind, &'static str),
        labels: &[(&str, &str)],
        value: f64,
    ) {
        let i = match self.families.iter().position(|f| f.name == name) {
            Some(i) => i,
            None => {
                self.families.push(Family {
                    name,
                    kind,
                    help,
                    samples: String::new(),
                });
                self.families.len() - 1
            }
        };
        let Some(f) = self.families.get_mut(i) else {
            return;
        };
        f.samples.push_str(name);
        if !labels.is_empty() {
            f.samples.push('{');
            for (n, (k, v)) in labels.iter().enumerate() {
                if n > 0 {
                    f.samples.push(',');
                }
                f.samples.push_str(k);
                f.samples.push_str("=\"");
                escape_label_into(&mut f.samples, v);
                f.samples.push('"');
            }
            f.samples.push('}');
        }
        f.samples.push(' ');
        write_number(&mut f.samples, value);
        f.samples.push('\n');
    }

    /// The same, for a value the kernel may not have given: nothing is written for None
    /// (absent is absent, never zero).
    pub fn add_some(
        &mut self,
        family: (&'static str, Kind, &'static str),
        labels: &[(&str, &str)],
        value: Option<f64>,
    ) {
        if let Some(v) = value {
            self.add(family, labels, v);
        }
    }

    pub fn finish(self) -> String {
        let mut out = String::new();
        for f in self.families {
            let _ = writeln!(out, "# HELP {} {}", f.name, escape_help(f.help));
            let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind.word());
            out.push_str(&f.samples);
        }
        out
    }
}

/// Appends `v` escaped; most values need no escape and are copied whole.
fn escape_label_into(out: &mut String, v: &str) {
    if !v.contains(['\\', '"', '\n']) {
        out.push_str(v);
        return;
    }
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

/// Go's ParseFloat reads what Rust's shortest round-trip form writes; the three special
/// values have the format's own spelling.
fn write_number(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v == f64::INFINITY {
        out.push_str("+Inf");
    } else if v == f64::NEG_INFINITY {
        out.push_str("-Inf");
    } else {
        let _ = write!(out, "{v}");
    }
}

#[cfg(test)]
fn number(v: f64) -> String {
    let mut s = String::new();
    write_number(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: (&str, Kind, &str) = ("boxtop_a_total", Kind::Counter, "A \\ thing\nand more.");
    const B: (&str, Kind, &str) = ("boxtop_b_bytes", Kind::Gauge, "B.");

    #[test]
    fn families_are_written_whole_in_the_order_first_named() {
        let mut e = Exposition::default();
        e.add(A, &[("name", "x")], 1.0);
        e.add(B, &[], 2.5);
        e.add(A, &[("name", "y")], 1e20);
        assert_eq!(
            e.finish(),
            "# HELP boxtop_a_total A \\\\ thing\\nand more.\n\
             # TYPE boxtop_a_total counter\n\
             boxtop_a_total{name=\"x\"} 1\n\
             boxtop_a_total{name=\"y\"} 100000000000000000000\n\
             # HELP boxtop_b_bytes B.\n\
             # TYPE boxtop_b_bytes gauge\n\
             boxtop_b_bytes 2.5\n"
        );
    }

    #[test]
    fn hostile_label_values_are_escaped() {
        let mut e = Exposition::default();
        e.add(B, &[("name", "a\"b\\c\nd}e,f=")], 0.0);
        e.add_some(B, &[("name", "absent")], None);
        let text = e.finish();
        assert!(
            text.contains(r#"boxtop_b_bytes{name="a\"b\\c\nd}e,f="} 0"#),
            "{text}"
        );
        assert!(!text.contains("absent"));
    }

    #[test]
    fn special_values_have_the_formats_spelling() {
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "+Inf");
        assert_eq!(number(f64::NEG_INFINITY), "-Inf");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(3.0), "3");
    }
}
