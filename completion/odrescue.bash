# bash completion for odrescue: commands, positions, /dev/sr* nodes,
# options, backends, and .bin/.hex images where a FILE goes.
_odrescue()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local cmds="scan identify regs reset wait chip dump flash verify erase rescue rpc wbuf info"
	local opts="--backend --json --trace --verbose --hex --yes --force --dry-run --timeout --backup
		--read-repeated --force-crossflash --yes-i-know-what-i-am-doing --resume --release
		--no-verify --method --chunk --keep --list-supported --atapi --help --version"
	local positions="1 2 3 4 pm ps sm ss m s"

	case $prev in
	-p | --backend)
		COMPREPLY=($(compgen -W "ioport ioport:base= sim sim:scenario= qtest:socket= fault:inner= sg:dev= help" -- "$cur"))
		return ;;
	--method)
		COMPREPLY=($(compgen -W "mtk wbuf" -- "$cur"))
		return ;;
	--backup)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--timeout | --read-repeated | --chunk | --keep)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	# The command, then its arguments: POS, then FILE.
	local cmd="" nargs=0 i skip=0
	for ((i = 1; i < cword; i++)); do
		if ((skip)); then skip=0; continue; fi
		case ${words[i]} in
		-p | --backend | --method | --backup | --timeout | --read-repeated | --chunk | --keep) skip=1 ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=${words[i]}; else nargs=$((nargs + 1)); fi ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$cmds $positions" -- "$cur"))
		return
	fi
	case $cmd in
	info)
		COMPREPLY=($(compgen -f -X '!*.@(bin|BIN|hex|HEX)' -o plusdirs -- "$cur")) ;;
	scan) ;;
	[1-4])	# the old syntax: odrescue 3 w fw.hex
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "w r" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	*)
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "$positions $(compgen -G '/dev/sr*' 2>/dev/null) $(compgen -G '/dev/sg*' 2>/dev/null)" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	esac
}
complete -F _odrescue odrescue
