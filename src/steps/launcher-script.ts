/**
 * The program of the step launcher (launcher.ts), run as `perl -e LAUNCHER_SCRIPT RUN_TAG`: a
 * process of a few MB whose forks cost a tenth of a Node process's (issue 27.4). It reads frames on
 * its stdin and writes frames on its stdout, each a type byte, a 32-bit id and a 32-bit length
 * before the bytes (big-endian):
 *
 *   in:  R  start a program: counts (args, env), the strings' length and the input's, then cwd,
 *           file, args and NAME=value entries joined by NUL, then the input (its stdin)
 *        K  close the program's stdout and stderr from this side (the pipe-holder watch gave up)
 *        G  the run's cgroup (killed with the rest should orchestrator go away)
 *   out: S  started (it exec'd): pid, and the inode of its stdout and stderr pipes
 *        F  could not be started: the errno of the failed chdir or exec
 *        O, E   bytes from its stdout, stderr;   o, e   their end of file
 *        X  it exited: the wait status (its pipes may stay open: a process it started holds them)
 *
 * Each program runs much as Node's `spawn` with `detached: true` runs it: a process group of its
 * own (set by both sides of the fork, so it exists before the child has run), every signal at its
 * default and none blocked, stdin/stdout/stderr on pipes and no other file open (perl opens every
 * other fd close-on-exec). Unlike `detached`, it stays in the launcher's session, which has no
 * controlling terminal either. When orchestrator goes away (end of file on stdin: a normal end, a
 * forced exit, or its death), every group still running (also of programs not yet exec'd), the
 * run's cgroup and every process carrying the run tag are killed, and the launcher exits.
 * Every pipe is raw bytes whatever `PERL_UNICODE` says (launcher.ts also starts perl without the
 * PERL* variables); the child checks each dup of its stdio and fails rather than run on the
 * launcher's own stdin/stdout.
 */
export const LAUNCHER_SCRIPT = String.raw`
my $tag = $ARGV[0];
# caught, not ignored: exec puts a caught signal back to its default (an ignored one would stay ignored)
$SIG{$_} = sub { } for qw(INT TERM HUP QUIT USR1 USR2 PIPE ALRM);
binmode STDIN; binmode STDOUT;
syswrite(STDOUT, pack('aNN', 'Y', 0, 0));
my ($in, %steps, %byfd, $cgroup, $rbits, $wbits) = ('');
my (%bypid, %wait_exec);
pipe(my $wake_r, my $wake_w) or die "pipe: $!";
$SIG{CHLD} = sub { syswrite($wake_w, 'x') };
sub emit { my ($t, $id, $d) = @_; my $b = pack('aNN', $t, $id, length $d) . $d;
  while (length $b) { my $n = syswrite(STDOUT, $b); if (!defined $n) { next if $!{EINTR} || $!{EAGAIN}; finish(); } substr($b, 0, $n) = ''; } }
sub watch { my ($fh, $id, $kind) = @_; $byfd{fileno $fh} = [$id, $kind, $fh]; }
sub start {
  my ($id, $p) = @_;
  my ($na, $ne, $sl, $il) = unpack('NNNN', $p);
  my @f = split /\0/, substr($p, 16, $sl), -1;
  my $input = substr($p, 16 + $sl, $il);
  my ($cwd, $file) = splice(@f, 0, 2);
  my @args = splice(@f, 0, $na);
  pipe(my $ir, my $iw) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $or, my $ow) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $er, my $ew) or return emit('F', $id, pack('N', $! + 0));
  pipe(my $xr, my $xw) or return emit('F', $id, pack('N', $! + 0));
  binmode $_ for $ir, $iw, $or, $ow, $er, $ew, $xr, $xw;
  # the program's environment is set here, before the fork: the child does as little as it can
  # before its exec (every page it writes is copied first)
  %ENV = map { my $i = index($_, '='); (substr($_, 0, $i), substr($_, $i + 1)) } @f;
  my $pid = fork();
  if (!defined $pid) { emit('F', $id, pack('N', $! + 0)); return; }
  if ($pid == 0) {
    setpgrp(0, 0);
    # a failed dup would leave the program on the launcher's own stdin/stdout (other steps' frames)
    if (open(STDIN, '<&', $ir) && open(STDOUT, '>&', $ow) && open(STDERR, '>&', $ew) && chdir $cwd) {
      no warnings; exec { $file } $file, @args;
    }
    syswrite($xw, pack('N', $! + 0));
    kill 'KILL', $$;
  }
  # waits for the exec (or its errno) before touching anything: what this process writes while the
  # child still shares its pages is copied, page by page
  # the exec (or the errno of its failure) is waited for in the loop below: blocking on it here
  # left every other step waiting while a busy machine got round to the child
  # the group from this side too: a kill before the child has run must find it
  setpgrp($pid, $pid);
  close $_ for $xw, $ir, $ow, $ew;
  my $s = $steps{$id} = { pid => $pid, input => $input, iw => $iw, open => 2 };
  $bypid{$pid} = $id;
  watch($or, $id, 'O'); watch($er, $id, 'E');
  $s->{out} = $or; $s->{err} = $er;
  $s->{xr} = $xr; $wait_exec{fileno $xr} = $id;
}
sub execd {
  my ($id) = @_;
  my $s = $steps{$id}; my $xr = delete $s->{xr}; delete $wait_exec{fileno $xr};
  my $errno = ''; sysread($xr, $errno, 4); close $xr;
  if (length $errno == 4) { $s->{failed} = 1; emit('F', $id, $errno); return; }
  emit('S', $id, pack('NNN', $s->{pid}, (stat $s->{out})[1], (stat $s->{err})[1]));
}
sub close_pipe { my ($fd) = @_; my ($id, $kind, $fh) = @{delete $byfd{$fd}}; close $fh; my $s = $steps{$id};
  emit(lc $kind, $id, '') unless $s->{failed}; $s->{open}--; done($id); }
sub done { my ($id) = @_; my $s = $steps{$id}; delete $steps{$id} if $s->{open} == 0 && exists $s->{status}; }
sub reap {
  while ((my $pid = waitpid(-1, 1)) > 0) { # WNOHANG
    my $id = delete $bypid{$pid}; next unless defined $id;
    my $s = $steps{$id}; $s->{status} = $?;
    execd($id) if $s->{xr};
    # its exit is told at once, as Node's 'exit': a process it left holding its pipes keeps them open
    emit('X', $id, pack('N', $s->{status})) unless $s->{failed};
    if ($s->{iw}) { close $s->{iw}; delete $s->{iw}; }
    done($id);
  }
}
sub finish {
  for my $s (values %steps) { next unless $s->{pid}; kill 'KILL', -$s->{pid}; kill 'KILL', $s->{pid}; }
  if (defined $cgroup && open(my $k, '>', "$cgroup/cgroup.kill")) { print $k '1'; close $k; }
  if (defined $tag && opendir(my $d, '/proc')) {
    for my $pid (grep { /^\d+$/ && $_ != $$ } readdir $d) {
      open(my $e, '<', "/proc/$pid/environ") or next; local $/; my $env = <$e> // ''; close $e;
      kill 'KILL', $pid if index("\0$env", "\0ORCHESTRATOR_PROCESS_TAG=$tag.") >= 0;
    }
  }
  exit 0;
}
sub command {
  while (length $in >= 9) {
    my ($t, $id, $n) = unpack('aNN', $in);
    last if length $in < 9 + $n;
    my $p = substr($in, 9, $n); substr($in, 0, 9 + $n) = '';
    if ($t eq 'R') { start($id, $p); }
    elsif ($t eq 'G') { $cgroup = $p; }
    elsif ($t eq 'K' && $steps{$id}) {
      for my $fh (grep { defined } @{$steps{$id}}{qw(out err)}) { close_pipe(fileno $fh) if $byfd{fileno $fh}; }
    }
  }
}
for (;;) {
  my ($r, $w) = ('', '');
  vec($r, 0, 1) = 1; vec($r, fileno $wake_r, 1) = 1;
  vec($r, $_, 1) = 1 for keys %byfd, keys %wait_exec;
  for my $s (values %steps) { vec($w, fileno $s->{iw}, 1) = 1 if $s->{iw} && !$s->{xr}; }
  # a SIGCHLD between the handler's last chance to run and select would be missed (perl runs its
  # handlers between statements): while a child is not reaped, select wakes now and then
  my $n = select($r, $w, undef, %bypid ? 0.25 : undef);
  if ($n < 0) { next; }
  sysread($wake_r, my $x, 4096) if vec($r, fileno $wake_r, 1);
  for my $fd (keys %wait_exec) { execd($wait_exec{$fd}) if vec($r, $fd, 1); }
  for my $s (values %steps) {
    next unless $s->{iw} && vec($w, fileno $s->{iw}, 1);
    # at most PIPE_BUF: a pipe select calls writable takes that much without blocking
    my $k = length $s->{input} ? syswrite($s->{iw}, $s->{input}, 4096) : 0;
    if (defined $k && $k > 0) { substr($s->{input}, 0, $k) = ''; }
    if (!length $s->{input} || (!defined $k && !$!{EAGAIN} && !$!{EINTR})) { close $s->{iw}; delete $s->{iw}; }
  }
  for my $fd (keys %byfd) {
    next unless vec($r, $fd, 1) && $byfd{$fd};
    my ($id, $kind, $fh) = @{$byfd{$fd}};
    # 'S' goes first: orchestrator knows no output of a program it has not heard started
    execd($id) if $steps{$id} && $steps{$id}{xr};
    my $got = sysread($fh, my $d, 65536);
    if ($got) { emit($kind, $id, $d) unless $steps{$id}{failed}; } elsif (defined $got || !($!{EAGAIN} || $!{EINTR})) { close_pipe($fd); }
  }
  reap();
  if (vec($r, 0, 1)) { my $got = sysread(STDIN, $in, 262144, length $in); finish() if !$got && !(defined $got ? 0 : $!{EINTR}); command(); }
}
`;
