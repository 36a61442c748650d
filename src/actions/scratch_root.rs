//! The tour's root directory for chroot (step 5), as a plan: previewed with its shell lines
//! like any action, made only when confirmed.

use crate::actions::plan::{ActionKind, Plan, Step};
use color_eyre::eyre::{Result, bail};
use std::path::Path;

pub fn plan_make_root(dir: &Path) -> Result<Plan> {
    if dir.exists() {
        bail!(
            "{} exists already: the tour makes its root only in a new directory",
            dir.display()
        );
    }
    let Some(busybox) = crate::kernel::scratch_root::find_busybox() else {
        bail!("no busybox on PATH: the root needs a static one (apt-get install busybox-static)");
    };
    let mut plan = Plan::new(ActionKind::MakeRoot, dir.display().to_string());
    plan.steps.push(Step::MakeRoot {
        dir: dir.to_path_buf(),
        busybox,
    });
    plan.notes.push("leaving the tour removes it".into());
    Ok(plan)
}
