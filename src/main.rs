//! boxtop: parse the command line and hand it to the commands layer.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    boxtop::commands::run(boxtop::cli::Cli::parse())
}
