package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/mirror"
)

// The users subcommands: add a user, set a password, disable a user, list
// them. The acting user logs in first (auth_cmd.go); a new password comes
// from KAPOK_NEW_PASSWORD or is typed twice at the terminal, never from
// the command line.

func usersCmd(args []string, out io.Writer) error {
	sub, err := subcommand("users", args, []string{"add", "passwd", "disable", "list"}, out)
	if err != nil {
		return err
	}
	return map[string]command{"add": usersAdd, "passwd": usersPasswd, "disable": usersDisable, "list": usersList}[sub](args[1:], out)
}

func usersAdd(args []string, out io.Writer) error {
	fs := flags("users add", "users add --mirror FILE --login LOGIN --name NAME --role ROLE [--jurisdiction CODE] [--user ADMIN]\n\n"+
		"The new user's password is read from $"+newPasswordEnv+" or typed twice at the terminal.", out)
	path := mirrorFlag(fs)
	var u data.User
	var role string
	fs.StringVar(&u.Login, "login", "", "the new user's login (up to 64 characters; no control characters, no spaces at either end)")
	fs.StringVar(&u.Name, "name", "", "the new user's name, as the journal and the console show it")
	fs.StringVar(&role, "role", "", "admin, leader, commander, operator, district_operator, street_operator, grid_worker or analyst")
	fs.StringVar(&u.Jurisdiction, "jurisdiction", "", "the region code the user acts in (default: the whole city); a district operator's is a district, "+
		"a street operator's a street, a grid worker's a community or a grid")
	user := userFlag(fs, "adding them (permitted user.admin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if u.Login == "" || !given(fs)["name"] || role == "" || fs.NArg() > 0 {
		return misuse("--login, --name and --role are required")
	}
	u.Role = data.Role(role)
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		pw, err := newSecret()
		if err != nil {
			return err
		}
		if err := m.AddUser(ctx, u, pw, *user, time.Now()); err != nil {
			return err
		}
		_, err = io.WriteString(out, u.Login+" added\n")
		return err
	})
}

func usersPasswd(args []string, out io.Writer) error {
	fs := flags("users passwd", "users passwd --mirror FILE [--login LOGIN] [--user LOGIN]\n"+
		"       kapok users passwd --mirror FILE --first --login ADMIN\n\n"+
		"Sets a password: one's own (--login left out or the same as --user), or, for a user admin, anyone's in their jurisdiction.\n"+
		"The acting user's password is read from $"+passwordEnv+", the new one from $"+newPasswordEnv+"; either, when unset, is asked at the terminal.\n"+
		"--first sets a user admin's password in a mirror where nobody has one yet (made before logins), without logging in.", out)
	path := mirrorFlag(fs)
	login := fs.String("login", "", "whose password to set (default: the acting user's own)")
	user := userFlag(fs, "setting it (themselves, or a user admin)")
	first := fs.Bool("first", false, "the mirror's first password, a user admin's: only while no user has one")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	if *first {
		if *login == "" {
			return misuse("--first needs --login ADMIN")
		}
		return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
			return setPassword(out, *login, func(pw string) error { return m.SetFirstPassword(ctx, *login, pw, time.Now()) })
		})
	}
	if *login == "" {
		login = user
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		return setPassword(out, *login, func(pw string) error { return m.SetPassword(ctx, *login, pw, *user, time.Now()) })
	})
}

// setPassword reads a new password and sets it with set.
func setPassword(out io.Writer, login string, set func(pw string) error) error {
	pw, err := newSecret()
	if err != nil {
		return err
	}
	if err := set(pw); err != nil {
		return err
	}
	_, err = io.WriteString(out, "password of "+login+" set\n")
	return err
}

func usersDisable(args []string, out io.Writer) error {
	fs := flags("users disable", "users disable --mirror FILE --login LOGIN [--user ADMIN]", out)
	path := mirrorFlag(fs)
	login := fs.String("login", "", "the user to disable: they can no longer log in or act, and stay named in the journal")
	user := userFlag(fs, "disabling them (permitted user.admin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *login == "" || fs.NArg() > 0 {
		return misuse("--login is required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		if err := m.DisableUser(ctx, *login, *user, time.Now()); err != nil {
			return err
		}
		_, err := io.WriteString(out, *login+" disabled\n")
		return err
	})
}

func usersList(args []string, out io.Writer) error {
	fs := flags("users list", "users list --mirror FILE [--format table|csv|json]", out)
	path := mirrorFlag(fs)
	format := fs.String("format", "table", "table, csv or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	if _, err := atFlag("", *format); err != nil {
		return err
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		as, err := m.Accounts(ctx)
		if err != nil {
			return err
		}
		now := time.Now()
		records := make([][]string, len(as))
		for i, a := range as {
			locked := ""
			if a.Locked(now) {
				locked = beijingRFC3339(a.LockedUntil)
			}
			jurisdiction := a.Jurisdiction
			if *format == "table" {
				// A name may hold a tab (a login may not), which would break
				// the table's columns.
				a.Name = strings.ReplaceAll(a.Name, "\t", " ")
				if jurisdiction == "" {
					jurisdiction = "(city)"
				}
			}
			records[i] = []string{a.Login, a.Name, string(a.Role), jurisdiction, strconv.FormatBool(a.Disabled), locked,
				strconv.Itoa(a.FailedLogins), strconv.FormatBool(a.HasPassword)}
		}
		return writeRecords(out, *format, []string{"login", "name", "role", "jurisdiction", "disabled", "locked_until", "failed_logins", "password"}, records)
	})
}
