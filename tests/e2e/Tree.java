// java Tree NIXCHILD OUTDIR: a foreign JVM parent. Writes its own
// environment to OUTDIR/self, compresses and inflates a buffer (libzip,
// whose libz.so.1 comes from the store), runs the NixOS child (which
// reports to $NIXCHILD_LOG) and the foreign /usr/bin/env, whose output
// goes to OUTDIR/env-child.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.zip.*;

public class Tree {
	public static void main(String[] args) throws Exception {
		String nixchild = args[0], out = args[1];
		StringBuilder self = new StringBuilder();
		for (Map.Entry<String, String> e : System.getenv().entrySet())
			self.append("env ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
		Files.writeString(Paths.get(out, "self"), self);

		byte[] data = "ldshim ".repeat(1000).getBytes(StandardCharsets.UTF_8);
		Deflater d = new Deflater();
		d.setInput(data);
		d.finish();
		byte[] z = new byte[data.length];
		int zn = d.deflate(z);
		Inflater i = new Inflater();
		i.setInput(z, 0, zn);
		byte[] back = new byte[data.length];
		int bn = i.inflate(back);
		System.out.println("zip: " + data.length + " -> " + zn + " -> " + bn
			+ (Arrays.equals(data, back) ? " same" : " DIFFERENT"));

		Process p = new ProcessBuilder(nixchild).inheritIO().start();
		System.out.println("nixchild: exit " + p.waitFor());
		p = new ProcessBuilder("/usr/bin/env").redirectOutput(Paths.get(out, "env-child.raw").toFile()).start();
		System.out.println("env: exit " + p.waitFor());
		StringBuilder child = new StringBuilder();
		for (String l : Files.readAllLines(Paths.get(out, "env-child.raw")))
			child.append("env ").append(l).append('\n');
		Files.writeString(Paths.get(out, "env-child"), child);
	}
}
