//! Headless output of `boxtop snapshot`.
use crate::cli::{CollectBenchArgs, SnapshotArgs};
use crate::kernel::Roots;

pub fn run_snapshot(_roots: &Roots, _args: &SnapshotArgs) -> color_eyre::Result<()> {
    Ok(())
}

pub fn run_collect_bench(_roots: &Roots, _args: &CollectBenchArgs) -> color_eyre::Result<()> {
    Ok(())
}
