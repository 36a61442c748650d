//! Requests and replies as bytes, hand-built after the kernel's headers; hostile input.

use super::*;
use proptest::prelude::*;

fn nla(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut a = Vec::new();
    a.extend_from_slice(&u16::try_from(4 + value.len()).unwrap().to_ne_bytes());
    a.extend_from_slice(&kind.to_ne_bytes());
    a.extend_from_slice(value);
    a.resize(a.len().next_multiple_of(4), 0);
    a
}

/// A reply to `seq` of family 31 carrying `attrs`.
fn datagram(seq: u32, kind: u16, attrs: &[u8]) -> Vec<u8> {
    let mut d = Vec::new();
    let len = NLMSG_HDRLEN + GENL_HDRLEN + attrs.len();
    d.extend_from_slice(&u32::try_from(len).unwrap().to_ne_bytes());
    d.extend_from_slice(&kind.to_ne_bytes());
    d.extend_from_slice(&0u16.to_ne_bytes());
    d.extend_from_slice(&seq.to_ne_bytes());
    d.extend_from_slice(&0u32.to_ne_bytes());
    d.extend_from_slice(&[TASKSTATS_CMD_GET + 1, 1, 0, 0]);
    d.extend_from_slice(attrs);
    d
}

/// The reply for a thread group: AGGR_TGID { TGID, STATS } with the two sums set.
fn tgid_reply(tgid: i32, count: u64, run_ns: u64) -> Vec<u8> {
    let mut stats = vec![0u8; 400];
    stats[CPU_COUNT_AT..CPU_COUNT_AT + 8].copy_from_slice(&count.to_ne_bytes());
    stats[CPU_RUN_VIRTUAL_AT..CPU_RUN_VIRTUAL_AT + 8].copy_from_slice(&run_ns.to_ne_bytes());
    let inner = [
        nla(2, &tgid.to_ne_bytes()),
        nla(TASKSTATS_TYPE_STATS, &stats),
    ]
    .concat();
    nla(TASKSTATS_TYPE_AGGR_TGID, &inner)
}

#[test]
fn a_request_is_one_attribute_after_the_headers() {
    let mut value = 4242i32.to_ne_bytes().to_vec();
    let msg = request(
        31,
        TASKSTATS_CMD_GET,
        7,
        TASKSTATS_CMD_ATTR_TGID,
        &mut value,
    );
    assert_eq!(msg.len(), 16 + 4 + 8);
    assert_eq!(u32_at(&msg, 0), Some(28));
    assert_eq!(u16_at(&msg, 4), Some(31));
    assert_eq!(u16_at(&msg, 6), Some(NLM_F_REQUEST));
    assert_eq!(u32_at(&msg, 8), Some(7));
    assert_eq!(&msg[16..20], &[TASKSTATS_CMD_GET, 1, 0, 0]);
    assert_eq!(u16_at(&msg, 20), Some(8));
    assert_eq!(u16_at(&msg, 22), Some(TASKSTATS_CMD_ATTR_TGID));
    assert_eq!(u32_at(&msg, 24), Some(4242));
    // A name is padded to four bytes; the attribute's length says the unpadded size.
    let mut name = b"TASKSTATS\0".to_vec();
    let msg = request(
        GENL_ID_CTRL,
        CTRL_CMD_GETFAMILY,
        1,
        CTRL_ATTR_FAMILY_NAME,
        &mut name,
    );
    assert_eq!(u16_at(&msg, 20), Some(14));
    assert_eq!(msg.len(), 16 + 4 + 16);
}

#[test]
fn reads_the_sums_of_a_thread_group() {
    let d = datagram(9, 31, &tgid_reply(4242, 17, 1_195_713));
    let Reply::Attrs(range) = reply_of(&d, 9) else {
        panic!("not a reply");
    };
    assert_eq!(parse_group_run(&d[range]), Some((17, 1_195_713)));
}

#[test]
fn nested_flags_in_the_type_are_ignored() {
    let mut a = tgid_reply(1, 2, 3);
    let kind = u16_at(&a, 2).unwrap() | 0x8000;
    a[2..4].copy_from_slice(&kind.to_ne_bytes());
    assert_eq!(parse_group_run(&a), Some((2, 3)));
}

#[test]
fn errors_and_other_answers() {
    // struct nlmsgerr right after the header: the negative errno, then the request's header.
    let mut err = Vec::new();
    err.extend_from_slice(&36u32.to_ne_bytes());
    err.extend_from_slice(&NLMSG_ERROR.to_ne_bytes());
    err.extend_from_slice(&0u16.to_ne_bytes());
    err.extend_from_slice(&5u32.to_ne_bytes());
    err.extend_from_slice(&0u32.to_ne_bytes());
    err.extend_from_slice(&(-libc::ESRCH).to_ne_bytes());
    err.extend_from_slice(&[0; 16]);
    assert_eq!(reply_of(&err, 5), Reply::Error(libc::ESRCH));
    assert_eq!(
        reply_of(&datagram(4, 31, &[]), 5),
        Reply::Other,
        "an earlier answer"
    );
    assert_eq!(reply_of(&[1, 2, 3], 5), Reply::Other);
    // Statistics too short to hold the sums.
    let short = nla(
        TASKSTATS_TYPE_AGGR_TGID,
        &nla(TASKSTATS_TYPE_STATS, &[0; 40]),
    );
    assert_eq!(parse_group_run(&short), None);
    assert_eq!(parse_group_run(&nla(TASKSTATS_TYPE_STATS, &[0; 400])), None);
}

#[test]
fn the_family_id_of_the_controllers_answer() {
    let attrs = [
        nla(CTRL_ATTR_FAMILY_ID, &31u16.to_ne_bytes()),
        nla(CTRL_ATTR_FAMILY_NAME, b"TASKSTATS\0"),
    ]
    .concat();
    assert_eq!(
        attr(&attrs, CTRL_ATTR_FAMILY_ID),
        Some(&31u16.to_ne_bytes()[..])
    );
    assert_eq!(attr(&attrs, 99), None);
}

proptest! {
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600), seq in any::<u32>()) {
        if let Reply::Attrs(r) = reply_of(&bytes, seq) {
            let _ = parse_group_run(bytes.get(r).unwrap_or_default());
        }
        let _ = parse_group_run(&bytes);
        let _ = attr(&bytes, 1);
    }
}
