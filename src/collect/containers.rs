//! Containers, inferred: which processes belong to which runtime's container, from their
//! cgroup paths ([`naming`]).

pub mod naming;
