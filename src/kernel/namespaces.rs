//! /proc/PID/ns/* links.
