"""Strings of signing in, by key group: why a sign-in was refused (`signin.<problem>`, the
problems of data.accounts.authenticate); the sign-in page's own strings follow."""

STRINGS: dict[str, tuple[str, str]] = {
    # Why a sign-in was refused (data.accounts.SignIn.problem)
    "signin.bad_screen_token": (
        "大屏令牌无效或已被吊销",
        "This wall-screen token is unknown or has been revoked",
    ),
    "signin.screen_title": ("大屏登录（使用令牌）", "Wall screen: sign in with its token"),
    "signin.screen_intro": (
        "指挥大厅的大屏使用管理员签发的只读令牌登录（python -m data users screen-token "
        "issue 名称）。登录后该浏览器保持登录，直至令牌被吊销。",
        "A command-hall screen signs in with the read-only token an admin issued for it "
        "(python -m data users screen-token issue NAME). The browser then stays signed in "
        "until the token is revoked.",
    ),
    "signin.screen_token": ("大屏令牌", "Screen token"),
    "signin.screen_submit": ("大屏登录", "Sign in the screen"),
    "signin.bad_credentials": ("用户名或密码错误", "Wrong user name or password"),
    "signin.throttled": (
        "登录失败次数过多，请 {seconds} 秒后再试",
        "Too many failed sign-ins: try again in {seconds} s",
    ),
    "signin.disabled": (
        "该账号已停用，请联系管理员",
        "This account is disabled; ask an administrator",
    ),
}
