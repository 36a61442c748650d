//! `boxtop run` and the hidden `spawn-helper`: the command line as a [`SpawnRequest`],
//! validated by the actions layer, started by the kernel layer's launcher.

use crate::actions::unshare::{namespaces_from_list, validate};
use crate::cli::{RunArgs, SpawnHelperArgs};
use crate::kernel::Roots;
use crate::kernel::spawn::{self, SpawnRequest};
use color_eyre::eyre::{Result, eyre};

/// The request of `boxtop run` (and of the helper): `--unshare` parsed, `--map-root-user`
/// adding `user`. Not validated yet.
pub(super) fn request(args: &RunArgs) -> Result<SpawnRequest, String> {
    Ok(SpawnRequest {
        namespaces: namespaces_from_list(args.unshare.as_deref(), args.map_root_user)?,
        hostname: args.hostname.clone(),
        root: args.root.clone(),
        cgroup: args.cgroup.clone(),
        map_root_user: args.map_root_user,
        init: args.init,
        command: args.command.clone(),
    })
}

/// `boxtop run`: validates, then prints the steps (`--dry-run`) or runs the helper in this
/// very process, in the foreground (this process is single-threaded here), and returns the
/// command's exit status.
pub(super) fn run(roots: &Roots, args: &RunArgs) -> Result<u8> {
    let req = request(args).map_err(|e| eyre!(e))?;
    validate(&req).map_err(|e| eyre!(e))?;
    if args.dry_run {
        let steps = spawn::steps(roots, &req)?;
        let mut text = "boxtop run would, in order (nothing is done with --dry-run):\n".to_string();
        for (i, step) in steps.iter().enumerate() {
            text.push_str(&format!("{:>3}. {}\n", i + 1, step.what));
            for line in &step.shell {
                text.push_str(&format!("       {line}\n"));
            }
        }
        crate::report::print(text.as_bytes())?;
        return Ok(0);
    }
    Ok(spawn::helper::run_helper(roots, &req, None, false))
}

/// The hidden `spawn-helper` command that [`spawn::launch`] re-executes. The request is
/// checked again here: the helper is a program of its own, started with arguments.
pub(super) fn helper(roots: &Roots, args: &SpawnHelperArgs) -> u8 {
    spawn::helper::name_self();
    let report = args.report_fd.and_then(spawn::helper::take_report_fd);
    match request(&args.run).and_then(|req| validate(&req).map(|()| req)) {
        Ok(req) => spawn::helper::run_helper(roots, &req, report, args.quiet),
        Err(e) => spawn::helper::refuse(report, args.quiet, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NsKind;
    use std::ffi::OsString;

    fn args(unshare: &str, command: &[&str]) -> RunArgs {
        RunArgs {
            unshare: Some(unshare.into()),
            hostname: None,
            root: None,
            cgroup: None,
            map_root_user: false,
            init: false,
            dry_run: false,
            command: command.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn map_root_user_implies_user_in_order() {
        let mut a = args("net,pid", &["true"]);
        a.map_root_user = true;
        let r = request(&a).unwrap();
        assert_eq!(r.namespaces, vec![NsKind::Pid, NsKind::Net, NsKind::User]);
        assert_eq!(validate(&r), Ok(()));
        assert_eq!(r.names(), "pid net user");
    }

    #[test]
    fn missing_unshare_is_a_sentence() {
        let mut a = args("", &["true"]);
        a.unshare = None;
        assert!(request(&a).unwrap_err().contains("--unshare pid,mnt,uts"));
    }

    #[test]
    fn helper_arguments_round_trip() {
        use clap::Parser;
        let req = SpawnRequest {
            namespaces: vec![NsKind::Pid, NsKind::Uts, NsKind::User],
            hostname: Some("-odd name".into()),
            root: Some("/tmp".into()),
            cgroup: Some("/a b".into()),
            map_root_user: true,
            init: true,
            command: vec!["sh".into(), "-c".into(), "--hostname x".into()],
        };
        let mut argv: Vec<OsString> = vec!["boxtop".into(), "spawn-helper".into()];
        argv.extend(req.to_args());
        let cli = crate::cli::Cli::try_parse_from(argv).unwrap();
        let Some(crate::cli::Subcommand::SpawnHelper(h)) = cli.command else {
            panic!("not the helper");
        };
        assert_eq!(request(&h.run).unwrap(), req);
    }
}
