# Key paths of canonical halo YAML (config_print's output): one per line,
# "a.b[].c"; the user-chosen names under vrrp.scripts become <name>.
# Block lists are written "key:" then "- item" two columns deeper.
{
	line = $0
	if (line ~ /^[ ]*(#|$)/)
		next
	match(line, /^ */)
	ind = RLENGTH
	rest = substr(line, ind + 1)
	item = 0
	if (rest ~ /^- /) {
		item = 1
		ind += 2
		rest = substr(rest, 3)
	}
	if (!match(rest, /^([a-z_0-9]+|"[^"]*"|[A-Za-z_][A-Za-z0-9_.-]*):( |$)/))
		next
	key = substr(rest, 1, RLENGTH)
	sub(/:( )?$/, "", key)
	d = ind / 2
	if (item)
		stack[d - 1] = "[]"     # a list item: its content sits two levels under the list's key
	stack[d] = key
	path = ""
	for (i = 0; i <= d; i++) {
		k = stack[i]
		if (i == 2 && stack[0] == "vrrp" && stack[1] == "scripts")
			k = "<name>"
		if (k == "[]")
			path = path "[]"
		else
			path = path (i ? "." : "") k
	}
	print path
}
