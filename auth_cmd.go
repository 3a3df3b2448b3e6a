package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
)

// Who is at the terminal: every command that changes data (or signs a
// briefing) is made by a person who logs in, never by the system user. The
// login comes from --user or KAPOK_USER, the password from KAPOK_PASSWORD
// or, at a terminal, a prompt that does not echo — never from the command
// line, where ps and the shell's history would keep it.

// The environment variables the command line reads for logging in.
const (
	userEnv        = "KAPOK_USER"
	passwordEnv    = "KAPOK_PASSWORD"
	newPasswordEnv = "KAPOK_NEW_PASSWORD"
)

// userFlag is the --user flag of a command that changes data: the login
// of the person making the change, who logs in first.
func userFlag(fs *flag.FlagSet, what string) *string {
	var login string
	userVar(fs, &login, what)
	return &login
}

// userVar is userFlag into a variable.
func userVar(fs *flag.FlagSet, login *string, what string) {
	fs.StringVar(login, "user", os.Getenv(userEnv), userHelp(what))
}

// userHelp is the help of a writing command's --user flag: the user WHAT.
func userHelp(what string) string {
	return "login of the user " + what + " (required; default $" + userEnv + "); the password is read from $" + passwordEnv +
		" or asked at the terminal"
}

// userDefault is a --user flag's default: $KAPOK_USER; for a command that
// only reads (and takes the user for their jurisdiction), the system when
// it is unset, whose jurisdiction is the whole city.
func userDefault(write bool) string {
	if u := os.Getenv(userEnv); u != "" || write {
		return u
	}
	return data.SystemLogin
}

// The terminal, replaceable by tests: whether standard input is one, how
// a password is read from it without echo, where the prompt goes (stderr:
// standard output may be a pipe to a file).
var (
	stdinIsTerminal           = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }
	readHidden                = func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }
	promptOut       io.Writer = os.Stderr
)

// secret reads a password: from the environment variable when it is set
// (even empty: the policy then says what is wrong), else at a terminal
// after the prompt (a translation key, with args), else not at all
// (password_not_given names the variable).
func secret(env, prompt string, args map[string]string) (string, error) {
	if v, ok := os.LookupEnv(env); ok {
		return v, nil
	}
	if !stdinIsTerminal() {
		return "", data.Refuse(data.CodePasswordNotGiven, "password", data.Value("variable", env))
	}
	fmt.Fprint(promptOut, localText(prompt, args))
	b, err := readHidden()
	fmt.Fprintln(promptOut) // the Enter the terminal did not echo
	return strings.TrimRight(string(b), "\r\n"), err
}

// newSecret reads a new password: from its variable, or typed twice at the
// terminal (a typing mistake not seen cannot be undone by its author).
func newSecret() (string, error) {
	pw, err := secret(newPasswordEnv, "New password: ", nil)
	if err != nil {
		return "", err
	}
	if _, ok := os.LookupEnv(newPasswordEnv); ok {
		return pw, nil
	}
	again, err := secret(newPasswordEnv, "New password again: ", nil)
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", data.Refuse(data.CodePasswordMismatch, "password")
	}
	return pw, nil
}

// localText is a prompt in the language of the locale.
func localText(key string, args map[string]string) string {
	cat, err := msg.Default()
	if err != nil {
		return key
	}
	return cat.Text(msg.FromEnv(), key, args)
}

// authenticate logs login in on the mirror: the user, or why not. An empty
// login is a misuse (changes are made by someone); the system user is
// refused before any password is asked for, as it has none.
func authenticate(ctx context.Context, m *mirror.Mirror, login string, now time.Time) (data.User, error) {
	if login == "" {
		return data.User{}, misuse("--user LOGIN (or $%s) is required: a change is made by a person, who logs in", userEnv)
	}
	if login == data.SystemLogin {
		return data.User{}, data.Refuse(data.CodeSystemUser, "user", data.Value("user", login))
	}
	pw, err := secret(passwordEnv, "Password for {{.User}}: ", map[string]string{"User": login})
	if err != nil {
		return data.User{}, err
	}
	return m.Authenticate(ctx, login, pw, now)
}

// openAs opens the mirror --mirror names and logs the user in on it, for a
// command that changes data; the caller closes it.
func openAs(path, login string) (*mirror.Mirror, error) {
	m, err := openMirrorFlag(path)
	if err != nil {
		return nil, err
	}
	if _, err := authenticate(context.Background(), m, login, time.Now()); err != nil {
		closeMirror(m)
		return nil, err
	}
	return m, nil
}

// onMirrorAs is onMirror for a command that changes data: the user logs in
// first.
func onMirrorAs(path, login string, fn func(ctx context.Context, m *mirror.Mirror) error) error {
	m, err := openAs(path, login)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	return fn(context.Background(), m)
}
