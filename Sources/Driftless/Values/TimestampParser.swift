import Foundation

/// Converts dates to and from the ISO 8601 text Driftless stores, without a formatter object
/// (formatters are neither cheap nor `Sendable`).
///
/// Writes `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, to the millisecond, with ` BC` after dates
/// before year 1 (`0001-12-30T00:00:00.000Z BC` is the proleptic Gregorian 30 December 1 BC)
/// and as many year digits as needed after 9999: the form PostgreSQL's `timestamptz` reads
/// and writes. Only instants PostgreSQL can hold are written (24 November 4714 BC to 31
/// December 294276 AD, UTC), on SQLite too, so a date is writable on one backend exactly
/// when it is on the other, and whatever is written reads back.
///
/// Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff...]]`, with `T` or a space between date and
/// time, an optional `Z`, `±HH`, `±HHMM`, `±HH:MM` or `±HH:MM:SS` offset (none means UTC) and
/// an optional ` BC`: what SQLite's date functions, PostgreSQL's output (in any session time
/// zone) and ISO 8601 write. Impossible timestamps (`2024-02-31`, `25:00`, an offset
/// `+99:99`) read as nothing, so a decoder reports them instead of rolling them over.
enum TimestampParser {
    /// The first instant stored: 4714-11-24T00:00:00Z BC, PostgreSQL's earliest timestamp.
    static let earliest = Double(days(fromYear: -4713, month: 11, day: 24)) * 86_400
    /// The first instant past the last one stored: 294277-01-01T00:00:00Z.
    static let end = Double(days(fromYear: 294_277, month: 1, day: 1)) * 86_400

    /// Why a date cannot be stored, or nil.
    static func problem(_ date: Date) -> String? {
        let seconds = date.timeIntervalSince1970
        if !seconds.isFinite { return "the date is not finite (\(seconds) seconds since 1970)" }
        if seconds < earliest || seconds >= end {
            return "the date is outside the years PostgreSQL holds (4714 BC to 294276 AD), which Driftless stores on every backend"
        }
        return nil
    }

    /// The stored text of a date, or nil when it has a ``problem(_:)``.
    static func string(from date: Date) -> String? {
        guard problem(date) == nil else { return nil }
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let scaled = (seconds - whole) * 1000
        var millisecond = Int64(scaled.rounded(.down))
        // A date lies up to an ulp or two below the millisecond it was made from or read as
        // (".999" is not a double, and a Date counts from 2001, not 1970): keep that
        // millisecond, so that `Date(timeIntervalSince1970: 0.999)` and a date read back are
        // written as they were.
        let ulp = max(seconds.ulp, date.timeIntervalSinceReferenceDate.ulp)
        if scaled - Double(millisecond) > 1 - min(0.25, max(1e-9, ulp * 2000)) { millisecond += 1 }
        var total = Int64(whole)
        if millisecond >= 1000 { millisecond -= 1000; total += 1 }
        var days = total / 86_400
        var remainder = total % 86_400
        if remainder < 0 { remainder += 86_400; days -= 1 }
        let (year, month, day) = civilDate(fromDays: days)
        let hour = remainder / 3600, minute = remainder / 60 % 60, second = remainder % 60
        let era = year > 0 ? "" : " BC"
        return "\(pad(year > 0 ? year : 1 - year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2))"
            + ":\(pad(second, 2)).\(pad(millisecond, 3))Z" + era
    }

    static func date(from text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(minimumDigits: 4, maximumDigits: 6), scanner.skip("-"),
              let month = scanner.number(minimumDigits: 2, maximumDigits: 2), scanner.skip("-"),
              let day = scanner.number(minimumDigits: 2, maximumDigits: 2)
        else { return nil }
        var seconds: Int64 = 0
        var fraction = 0.0
        var offset: Int64 = 0
        if scanner.skip("T") || scanner.skipSpaceBeforeDigit() {
            guard let hour = scanner.number(minimumDigits: 2, maximumDigits: 2), hour < 24, scanner.skip(":"),
                  let minute = scanner.number(minimumDigits: 2, maximumDigits: 2), minute < 60
            else { return nil }
            seconds = Int64(hour * 3600 + minute * 60)
            if scanner.skip(":") {
                // 60 is a leap second: it reads as the next minute's first, as in PostgreSQL.
                guard let second = scanner.number(minimumDigits: 2, maximumDigits: 2), second <= 60 else { return nil }
                seconds += Int64(second)
                if scanner.skip(".") {
                    guard let value = scanner.fraction() else { return nil }
                    fraction = value
                }
            }
            if !scanner.skip("Z"), let sign = scanner.sign() {
                guard let hours = scanner.number(minimumDigits: 2, maximumDigits: 2), hours <= 15 else { return nil }
                let colon = scanner.skip(":")
                var minutes = 0, offsetSeconds = 0
                if let value = scanner.number(minimumDigits: 2, maximumDigits: 2) {
                    minutes = value
                    if scanner.skip(":") || !colon, let value = scanner.number(minimumDigits: 2, maximumDigits: 2) {
                        offsetSeconds = value
                    }
                } else if colon {
                    return nil
                }
                guard minutes < 60, offsetSeconds < 60 else { return nil }
                offset = Int64(sign * (hours * 3600 + minutes * 60 + offsetSeconds))
            }
        }
        var astronomicalYear = year
        if scanner.skip(" ") {
            guard scanner.skip("B"), scanner.skip("C"), year >= 1 else { return nil }
            astronomicalYear = 1 - year
        }
        guard scanner.isAtEnd, (1...12).contains(month),
              (1...daysInMonth(year: astronomicalYear, month: month)).contains(day)
        else { return nil }
        let whole = Int64(days(fromYear: astronomicalYear, month: month, day: day)) * 86_400 + seconds - offset
        let instant = Double(whole) + fraction
        guard instant >= earliest, instant < end else { return nil }
        return Date(timeIntervalSince1970: instant)
    }

    /// Whether seconds since 1970 (an integer or real column read as a date) are a date
    /// that could have been written.
    static func isStorable(seconds: Double) -> Bool {
        seconds.isFinite && seconds >= earliest && seconds < end
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var isAtEnd: Bool { position == bytes.count }
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }
        /// A space, when a digit (a time, not an era) follows it.
        mutating func skipSpaceBeforeDigit() -> Bool {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: " "),
                  (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position + 1])
            else { return false }
            position += 1
            return true
        }
        mutating func digit() -> Int? {
            guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
            else { return nil }
            defer { position += 1 }
            return Int(bytes[position] - UInt8(ascii: "0"))
        }
        mutating func number(minimumDigits: Int, maximumDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maximumDigits, let digit = digit() {
                value = value * 10 + digit
                count += 1
            }
            return count >= minimumDigits ? value : nil
        }
        /// The digits after a decimal point as a fraction of a second (digits past the
        /// 15th, far below a Date's resolution, are read and dropped).
        mutating func fraction() -> Double? {
            var value: Int64 = 0
            var scale: Double = 1
            var count = 0
            while let digit = digit() {
                if count < 15 {
                    value = value * 10 + Int64(digit)
                    scale *= 10
                }
                count += 1
            }
            return count > 0 ? Double(value) / scale : nil
        }
        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }

    private static func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`), astronomical years.
    private static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day count since 1970-01-01 (`civil_from_days`).
    private static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
