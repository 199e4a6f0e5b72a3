"""Ids, tokens and time: one seeded source, a frozen clock when configured."""

from datetime import UTC, datetime, timedelta, timezone

from vendor_sandbox.ids import Clock, Source, epoch_millis, iso_millis


def draws(source):
    return [source.uuid4(), source.string(9), source.token(8)]


def test_same_seed_namespace_and_vendor_give_the_same_sequence():
    clock = Clock()
    assert draws(Source(0, "default", "hipp", clock)) == draws(Source(0, "default", "hipp", clock))


def test_seed_namespace_and_vendor_each_change_the_sequence():
    clock = Clock()
    base = draws(Source(0, "default", "hipp", clock))
    assert draws(Source(1, "default", "hipp", clock)) != base
    assert draws(Source(0, "other", "hipp", clock)) != base
    assert draws(Source(0, "default", "zus", clock)) != base


def test_uuid4_is_a_version_4_uuid():
    value = Source(0, "n", "v", Clock()).uuid4()
    assert len(value) == 36 and value[14] == "4" and value[19] in "89ab"


def test_frozen_clock_stands_still_until_moved():
    clock = Clock("2025-01-15T10:30:00Z")
    assert clock.now() == clock.now() == datetime(2025, 1, 15, 10, 30, tzinfo=UTC)
    clock.advance(timedelta(hours=1))
    assert clock.now() == datetime(2025, 1, 15, 11, 30, tzinfo=UTC)
    clock.set("2026-01-01T00:00:00+02:00")
    assert clock.now() == datetime(2025, 12, 31, 22, 0, tzinfo=UTC)


def test_wall_clock_moves():
    clock = Clock()
    assert not clock.frozen
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_javascript_formats():
    instant = datetime(2025, 1, 15, 10, 30, 0, 123456, tzinfo=UTC)
    assert iso_millis(instant) == "2025-01-15T10:30:00.123Z"
    assert epoch_millis(instant) == 1736937000123


def test_iso_millis_writes_the_year_in_four_digits_and_converts_to_utc():
    # new Date("0999-03-04T05:06:07.008Z").toISOString() === "0999-03-04T05:06:07.008Z"
    assert iso_millis(datetime(999, 3, 4, 5, 6, 7, 8999, tzinfo=UTC)) == "0999-03-04T05:06:07.008Z"
    two_hours_east = datetime(2025, 1, 1, 1, 0, tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    assert iso_millis(two_hours_east) == "2025-01-01T01:00:00.000Z"
