"""Strings of signing in, by key group: why a sign-in was refused (`signin.<problem>`, the
problems of data.accounts.authenticate); the sign-in page's own strings follow."""

STRINGS: dict[str, tuple[str, str]] = {
    # Why a sign-in was refused (data.accounts.SignIn.problem)
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
